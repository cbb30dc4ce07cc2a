package dev.dsqllocal.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code postmaster.pid} lock file PostgreSQL keeps in its data directory. Since PostgreSQL 10 its eighth line
 * is the server's status ({@code starting}, {@code ready}, {@code stopping}), which makes it the cheapest exact
 * readiness check there is.
 */
record PostmasterPidFile(long pid, String dataDirectory, int port, String status) {
    static final String NAME = "postmaster.pid";

    /** Reads the lock file of {@code dataDir}, if there is one (it may be half-written while the server starts). */
    static Optional<PostmasterPidFile> read(Path dataDir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve(NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            String dir = lines.size() > 1 ? lines.get(1).trim() : "";
            int port = lines.size() > 3 && !lines.get(3).isBlank()
                    ? Integer.parseInt(lines.get(3).trim())
                    : -1;
            String status = lines.size() > 7 ? lines.get(7).trim() : "";
            return Optional.of(new PostmasterPidFile(pid, dir, port, status));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean ready() {
        return "ready".equals(status);
    }
}
