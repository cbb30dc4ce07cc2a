package dev.dsqllocal.clusters;

import java.util.Map;
import java.util.Optional;

/**
 * The domain's whole state at one moment, as saved and loaded by a {@link ClusterPersistence}.
 *
 * @param clusters by identifier, in creation order
 * @param defaultClusterId the first cluster created at first start: the SQL gateway's target for host-less tokens
 * @param initialized whether the startup clusters have been created (they are created once, on first start)
 */
public record ClusterSnapshot(Map<String, Cluster> clusters, Optional<String> defaultClusterId, boolean initialized) {

    public ClusterSnapshot {
        clusters = ClusterStream.ordered(clusters);
    }

    /** First start: nothing yet. */
    public static ClusterSnapshot empty() {
        return new ClusterSnapshot(Map.of(), Optional.empty(), false);
    }
}
