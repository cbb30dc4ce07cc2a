package dev.dsqllocal.postgres;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code java -cp dsql-local.jar dev.dsqllocal.postgres.PreparePostgres <cacheDir>}: unpacks the PostgreSQL binaries
 * and builds the template exactly where a server started with {@code DSQL_LOCAL_CACHE_DIR=<cacheDir>} looks for
 * them, so that server has nothing to unpack or initialise. The Docker image build runs it; run it as the user the
 * server will run as (a root-prepared cache is readable by others, but a non-root one may not serve root).
 */
public final class PreparePostgres {
    private PreparePostgres() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp dsql-local.jar dev.dsqllocal.postgres.PreparePostgres <cacheDir>");
            System.exit(2);
        }
        long started = System.nanoTime();
        PostgresInstallation installation = PostgresInstallation.prepare(Path.of(args[0]), Optional.empty());
        System.out.println("PostgreSQL " + PostgresBinaries.BUNDLED_VERSION + " ready in " + installation.cacheDir()
                + " (template " + installation.template().getFileName() + ", "
                + (System.nanoTime() - started) / 1_000_000 + " ms)");
    }
}
