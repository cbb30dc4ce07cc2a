package dev.dsqllocal.clusters;

import java.util.Optional;

/**
 * What the SQL gateway needs to know about a cluster to route a connection: who owns it, where it lives, whether
 * it accepts connections and where its PostgreSQL server listens.
 */
public record ClusterView(
        String identifier, String accountId, String region, ClusterStatus status, Optional<DatabaseEndpoint> database) {

    /** The data-plane host name, {@code <id>.dsql.<region>.on.aws}. */
    public String endpointHost() {
        return identifier + ".dsql." + region + ".on.aws";
    }
}
