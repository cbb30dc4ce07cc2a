package dev.dsqllocal.server;

import dev.dsqllocal.postgres.DatabaseFleet;
import dev.dsqllocal.postgres.PostgresFleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;

/** Makes the real PostgreSQL fleet: durable (fsync on) when there is a data directory, fast when ephemeral. */
final class PostgresFleetFactory implements DsqlLocalServer.FleetFactory {
    static final PostgresFleetFactory INSTANCE = new PostgresFleetFactory();

    @Override
    public DatabaseFleet create(Path clustersRoot, ServerConfig config) throws IOException {
        return new PostgresFleet(clustersRoot, config.cacheDir(), config.pgHome(), config.dataDir().isPresent());
    }

    @Override
    public Set<String> existing(DatabaseFleet fleet) {
        try {
            return ((PostgresFleet) fleet).existingClusterIds();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
