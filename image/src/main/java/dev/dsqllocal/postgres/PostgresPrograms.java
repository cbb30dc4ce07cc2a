package dev.dsqllocal.postgres;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the PostgreSQL programs ({@code postgres}, {@code initdb}, {@code pg_ctl}) as the server user. */
final class PostgresPrograms {
    private final PostgresBinaries binaries;
    private final ServerUser user;
    private final ProcessSpawner spawner = ProcessSpawner.instance();

    PostgresPrograms(PostgresBinaries binaries, ServerUser user) {
        this.binaries = binaries;
        this.user = user;
    }

    ServerUser user() {
        return user;
    }

    PostgresBinaries binaries() {
        return binaries;
    }

    /** Starts {@code bin/<program> args...}, its stdout and stderr appended to {@code log} (null: discarded). */
    Process start(String program, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binaries.program(program).toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(user.command(command))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(
                        log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        // PGDATA, PGPORT, PGOPTIONS... of the user's shell must not change how the servers behave
        env.keySet().removeIf(name -> name.startsWith("PG"));
        env.put("LC_ALL", "C");
        env.put("TZ", "UTC");
        return spawner.start(builder);
    }

    /** Runs a program to completion; fails with its output when it exits non-zero or takes too long. */
    void run(String program, List<String> args, Path log, long timeoutSeconds) throws IOException {
        Process process = start(program, args, log);
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(
                        program + " did not finish within " + timeoutSeconds + " s; output:\n" + tail(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + program, e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(
                    program + " failed with exit code " + process.exitValue() + "; output:\n" + tail(log));
        }
    }

    /**
     * Sends a signal (INT, QUIT, ...) to a server process with {@code pg_ctl kill}: Java can only send TERM and KILL,
     * and pg_ctl runs as the server user, so it may signal servers started by an earlier emulator too.
     */
    void signal(long pid, String signal) {
        try {
            Process process = start("pg_ctl", List.of("kill", signal, Long.toString(pid)), null);
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the caller escalates when the server does not go away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last few kilobytes of a log file, for error messages. */
    static String tail(Path log) {
        return tail(log, 0);
    }

    /** The last few kilobytes of a log file written after {@code offset}. */
    static String tail(Path log, long offset) {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(offset, file.length() - 4096);
            file.seek(start);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.readFully(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
