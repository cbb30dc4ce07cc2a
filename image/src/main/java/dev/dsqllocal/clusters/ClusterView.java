package dev.dsqllocal.clusters;

import java.util.Optional;

/**
 * What the SQL gateway needs to know about a cluster to route a connection: who owns it, where it lives, whether
 * it accepts connections and where its PostgreSQL server listens. {@code databaseId} names the database it serves:
 * peered multi-Region clusters serve the same one, so per-database state (the catalog version behind OC001, the
 * sessions a DDL reaches, the connection limit) is keyed by it, not by the cluster.
 */
public record ClusterView(
        String identifier,
        String accountId,
        String region,
        ClusterStatus status,
        Optional<DatabaseEndpoint> database,
        String databaseId) {

    /** A cluster that serves its own database (not peered). */
    public ClusterView(
            String identifier,
            String accountId,
            String region,
            ClusterStatus status,
            Optional<DatabaseEndpoint> database) {
        this(identifier, accountId, region, status, database, identifier);
    }

    /** The data-plane host name, {@code <id>.dsql.<region>.on.aws}. */
    public String endpointHost() {
        return identifier + ".dsql." + region + ".on.aws";
    }
}
