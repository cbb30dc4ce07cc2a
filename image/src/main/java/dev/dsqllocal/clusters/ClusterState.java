package dev.dsqllocal.clusters;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The clusters of every account and region, in memory, shared by the domain's services. Every read and change
 * happens while holding this object's monitor, so one operation sees and leaves a consistent state; each change
 * ends with {@link #persist()}. Waiters on status changes wait on the same monitor.
 */
final class ClusterState {
    private final Map<String, Cluster> clusters;
    private final ClusterPersistence persistence;
    private Optional<String> defaultClusterId;
    private boolean initialized;

    ClusterState(ClusterSnapshot loaded, ClusterPersistence persistence) {
        this.clusters = new LinkedHashMap<>(loaded.clusters());
        this.defaultClusterId = loaded.defaultClusterId();
        this.initialized = loaded.initialized();
        this.persistence = persistence;
    }

    Optional<Cluster> get(String id) {
        return Optional.ofNullable(clusters.get(id));
    }

    boolean contains(String id) {
        return clusters.containsKey(id);
    }

    void put(Cluster cluster) {
        clusters.put(cluster.identifier(), cluster);
    }

    void remove(String id) {
        clusters.remove(id);
    }

    Collection<Cluster> all() {
        return List.copyOf(clusters.values());
    }

    /** The caller's clusters with an identifier after {@code after}, at most {@code max}, in identifier order. */
    Page<Cluster> page(Caller caller, int max, String after) {
        List<Cluster> all = new ArrayList<>(clusters.values().stream()
                .filter(c -> c.isIn(caller) && c.identifier().compareTo(after) > 0)
                .sorted(java.util.Comparator.comparing(Cluster::identifier))
                .toList());
        return new Page<>(all.subList(0, Math.min(max, all.size())), all.size() > max);
    }

    Optional<String> defaultClusterId() {
        return defaultClusterId;
    }

    boolean initialized() {
        return initialized;
    }

    void markInitialized(Optional<String> defaultId) {
        initialized = true;
        if (defaultId.isPresent()) {
            defaultClusterId = defaultId;
        }
    }

    void persist() {
        persistence.save(new ClusterSnapshot(clusters, defaultClusterId, initialized));
    }
}
