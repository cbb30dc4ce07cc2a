package dev.dsqllocal.testsupport;

import dev.dsqllocal.server.DsqlLocalServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Which fleet the server tests run against (the real PostgreSQL fleet), and data directories it can use. */
public final class TestSupport {
    private TestSupport() {}

    public static DsqlLocalServer.FleetFactory fleets() {
        return DsqlLocalServer.Fleets.postgres();
    }

    /**
     * JUnit's temporary directories are private (700); when the tests run as root, PostgreSQL runs as an
     * unprivileged user that must be able to traverse into the data directory.
     */
    public static String dataDir(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        return dir.toString();
    }
}
