package dev.dsqllocal.postgres;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running postmaster on one data directory, listening on a free loopback port. */
final class PostgresServer {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

    static final String HOST = "127.0.0.1";
    /** The server's stderr, kept inside its data directory (PostgreSQL ignores files it does not know). */
    static final String LOG_FILE = "server.log";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FAST_SHUTDOWN_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration IMMEDIATE_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_ATTEMPTS = 20;

    /** Longest Unix socket path the kernel takes ({@code sun_path} is 108 bytes with its terminating NUL). */
    private static final int MAX_SOCKET_PATH = 107;

    private final PostgresPrograms programs;
    private final Path dataDir;
    private final Process process;
    private final int port;
    private final Optional<Path> unixSocket;

    private PostgresServer(
            PostgresPrograms programs, Path dataDir, Process process, int port, Optional<Path> unixSocket) {
        this.programs = programs;
        this.dataDir = dataDir;
        this.process = process;
        this.port = port;
        this.unixSocket = unixSocket;
    }

    /**
     * Starts a postmaster on {@code dataDir} with extra {@code -c} settings and waits until it accepts connections.
     * A lock file left by a killed emulator is dealt with first; a port taken between choosing and binding it is
     * retried with another.
     */
    static PostgresServer start(PostgresPrograms programs, Path dataDir, Map<String, String> settings)
            throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        clearStaleLock(programs, dir);
        Path log = dir.resolve(LOG_FILE);
        IOException last = null;
        boolean socketAllowed = true;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            int port = freeLoopbackPort();
            long logOffset = Files.exists(log) ? Files.size(log) : 0;
            List<String> args = new ArrayList<>(List.of("-D", dir.toString(), "-p", Integer.toString(port)));
            settings.forEach((name, value) -> {
                args.add("-c");
                args.add(name + "=" + value);
            });
            Optional<Path> unixSocket = socketAllowed ? unixSocketIn(dir, port) : Optional.empty();
            if (unixSocket.isPresent()) {
                // The gateway's relay connection: a Unix socket costs far less CPU per message than loopback TCP.
                // In the data directory, which only the server's user (and root) may enter.
                args.add("-c");
                args.add("unix_socket_directories=" + dir);
            }
            Process process = programs.start("postgres", args, log);
            Optional<String> failure;
            try {
                failure = awaitReady(process, dir, log, logOffset);
            } catch (IOException | RuntimeException e) {
                process.destroyForcibly(); // never leave a server nobody knows about
                throw e;
            }
            if (failure.isEmpty()) {
                return new PostgresServer(programs, dir, process, port, unixSocket);
            }
            String output = failure.get();
            last = new IOException("PostgreSQL did not start on " + dir + "; server log:\n" + output);
            if (unixSocket.isPresent() && output.contains("Unix-domain socket")) {
                // e.g. a data directory on a file system that cannot hold sockets (some bind mounts): TCP only
                LOG.info("PostgreSQL cannot create its Unix socket in {}; the gateway will use TCP", dir);
                socketAllowed = false;
            } else if (output.contains("could not bind") || output.contains("Address already in use")) {
                LOG.debug("port {} was taken before PostgreSQL could bind it; trying another", port);
            } else if (output.contains("pre-existing shared memory block")) {
                // processes of a killed server still hold its shared memory; they exit within moments
                sleep(100);
            } else {
                throw last;
            }
        }
        throw last;
    }

    /** Waits for the {@code ready} status; returns the server's output when it exits or times out first. */
    private static Optional<String> awaitReady(Process process, Path dir, Path log, long logOffset) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(dir);
            if (pidFile.isPresent()
                    && pidFile.get().pid() == process.pid()
                    && pidFile.get().ready()) {
                return Optional.empty();
            }
            if (!process.isAlive()) {
                return Optional.of(PostgresPrograms.tail(log, logOffset));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("PostgreSQL did not become ready on " + dir + " within "
                        + READY_TIMEOUT.toSeconds() + " s; server log:\n" + PostgresPrograms.tail(log, logOffset));
            }
            sleep(5);
        }
    }

    /**
     * A {@code postmaster.pid} outlives an emulator that was killed. If its postmaster still runs on this directory
     * (orphaned, e.g. no parent-death signal), shut it down immediately; otherwise the file is stale: remove it.
     */
    private static void clearStaleLock(PostgresPrograms programs, Path dir) throws IOException {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(dir);
        if (pidFile.isEmpty()) {
            Files.deleteIfExists(dir.resolve(PostmasterPidFile.NAME)); // unreadable or empty: stale
            return;
        }
        long pid = pidFile.get().pid();
        if (isPostmasterOf(pid, dir)) {
            LOG.warn("PostgreSQL (pid {}) left running on {} by an earlier emulator; shutting it down", pid, dir);
            programs.signal(pid, "QUIT");
            if (!awaitExit(pid, IMMEDIATE_SHUTDOWN_TIMEOUT)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                awaitExit(pid, IMMEDIATE_SHUTDOWN_TIMEOUT);
            }
        }
        Files.deleteIfExists(dir.resolve(PostmasterPidFile.NAME));
    }

    private static boolean isPostmasterOf(long pid, Path dir) {
        if (!LinuxProcesses.isRunning(pid)) {
            return false;
        }
        List<String> cmd = LinuxProcesses.commandLine(pid);
        int d = cmd.indexOf("-D");
        return !cmd.isEmpty()
                && cmd.get(0).endsWith("postgres")
                && d >= 0
                && d + 1 < cmd.size()
                && Path.of(cmd.get(d + 1)).toAbsolutePath().normalize().equals(dir);
    }

    private static boolean awaitExit(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (LinuxProcesses.isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(10);
        }
        return true;
    }

    /**
     * The socket file PostgreSQL would create in {@code dir} for {@code port}, unless the path is too long for a
     * Unix socket or would need quoting in {@code unix_socket_directories}: then the server listens on TCP only.
     */
    static Optional<Path> unixSocketIn(Path dir, int port) {
        String directory = dir.toString();
        Path socket = dir.resolve(".s.PGSQL." + port);
        boolean plain = directory
                .chars()
                .noneMatch(c -> c == ',' || c == '"' || c == '\'' || c == '\\' || Character.isWhitespace(c));
        if (!plain || socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            return Optional.empty();
        }
        return Optional.of(socket);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path dataDirectory() {
        return dataDir;
    }

    boolean isRunning() {
        return process.isAlive();
    }

    DatabaseEndpoint endpoint() {
        return new DatabaseEndpoint(HOST, port, unixSocket);
    }

    /**
     * Fast shutdown (SIGINT: sessions are ended, a checkpoint is written), escalating to immediate shutdown
     * (SIGQUIT: crash recovery at next start) and finally SIGKILL if the server does not go away.
     */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        programs.signal(process.pid(), "INT");
        if (waitFor(FAST_SHUTDOWN_TIMEOUT)) {
            return;
        }
        LOG.warn(
                "PostgreSQL on {} did not shut down within {} s; shutting it down immediately",
                dataDir,
                FAST_SHUTDOWN_TIMEOUT.toSeconds());
        programs.signal(process.pid(), "QUIT");
        if (waitFor(IMMEDIATE_SHUTDOWN_TIMEOUT)) {
            return;
        }
        process.destroyForcibly();
        waitFor(IMMEDIATE_SHUTDOWN_TIMEOUT);
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
        }
    }
}
