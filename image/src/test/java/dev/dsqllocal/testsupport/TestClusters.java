package dev.dsqllocal.testsupport;

import dev.dsqllocal.clusters.ClusterDirectory;
import dev.dsqllocal.clusters.ClusterView;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A hand-made cluster directory for gateway tests. */
public final class TestClusters implements ClusterDirectory {
    private final Map<String, ClusterView> clusters = new ConcurrentHashMap<>();
    private volatile String defaultId;

    public TestClusters put(ClusterView cluster) {
        clusters.put(cluster.identifier(), cluster);
        return this;
    }

    public TestClusters defaultCluster(String id) {
        defaultId = id;
        return this;
    }

    @Override
    public Optional<ClusterView> find(String identifier) {
        return Optional.ofNullable(clusters.get(identifier));
    }

    @Override
    public Optional<ClusterView> defaultCluster() {
        return defaultId == null ? Optional.empty() : find(defaultId);
    }
}
