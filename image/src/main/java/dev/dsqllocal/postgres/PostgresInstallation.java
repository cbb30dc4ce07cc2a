package dev.dsqllocal.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything needed to start cluster servers: the binaries, the template data directory, and the way to run the
 * programs as the server user. Prepared once per cache directory; cheap when the cache is warm.
 */
final class PostgresInstallation {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresInstallation.class);

    private final PostgresPrograms programs;
    private final Path template;
    private final Path cacheDir;

    private PostgresInstallation(PostgresPrograms programs, Path template, Path cacheDir) {
        this.programs = programs;
        this.template = template;
        this.cacheDir = cacheDir;
    }

    /** Unpacks the binaries and builds the template in {@code requestedCacheDir} (see {@link #effectiveCacheDir}). */
    static PostgresInstallation prepare(Path requestedCacheDir, Optional<Path> pgHome) throws IOException {
        ServerUser user = ServerUser.current();
        Path cacheDir = effectiveCacheDir(requestedCacheDir, user);
        user.createReachableDirectories(cacheDir, "cache directory");
        PostgresBinaries binaries = PostgresBinaries.locate(pgHome, cacheDir);
        user.checkReachable(binaries.home().resolve("bin"), "PostgreSQL binaries");
        PostgresPrograms programs = new PostgresPrograms(binaries, user);
        Path template = PostgresTemplate.ensure(cacheDir, programs);
        return new PostgresInstallation(programs, template, cacheDir);
    }

    /**
     * The cache directory actually used. Running as root, the servers run as {@code nobody}, which must reach the
     * binaries and the template; the default {@code ~/.cache/dsql-local} of root is not reachable ({@code /root} is
     * mode 700), so then the cache moves to {@code <java.io.tmpdir>/dsql-local-cache}. {@link PreparePostgres} uses
     * the same rule, so a prepared cache is found.
     */
    static Path effectiveCacheDir(Path requested, ServerUser user) {
        Path absolute = requested.toAbsolutePath().normalize();
        if (user.canReach(absolute)) {
            return absolute;
        }
        Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "dsql-local-cache")
                .toAbsolutePath();
        LOG.info(
                "PostgreSQL runs as nobody (the emulator runs as root) and nobody cannot reach {}; using the cache"
                        + " directory {} instead",
                absolute,
                fallback);
        return fallback;
    }

    PostgresPrograms programs() {
        return programs;
    }

    Path template() {
        return template;
    }

    Path cacheDir() {
        return cacheDir;
    }

    ServerUser user() {
        return programs.user();
    }
}
