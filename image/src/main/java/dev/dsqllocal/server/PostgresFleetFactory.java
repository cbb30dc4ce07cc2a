package dev.dsqllocal.server;

import dev.dsqllocal.postgres.DatabaseFleet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** Makes the real PostgreSQL fleet (wired in once the postgres package lands). */
final class PostgresFleetFactory implements DsqlLocalServer.FleetFactory {
    static final PostgresFleetFactory INSTANCE = new PostgresFleetFactory();

    @Override
    public DatabaseFleet create(Path clustersRoot, ServerConfig config) throws IOException {
        throw new UnsupportedOperationException("PostgresFleet not available yet");
    }

    @Override
    public Set<String> existing(DatabaseFleet fleet) {
        return Set.of();
    }
}
