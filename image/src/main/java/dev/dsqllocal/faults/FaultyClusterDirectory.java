package dev.dsqllocal.faults;

import dev.dsqllocal.clusters.ClusterDirectory;
import dev.dsqllocal.clusters.ClusterView;
import java.util.Optional;

/**
 * The gateway's view of the clusters with connection-failure injections applied: while one is in force the
 * cluster is shown without a PostgreSQL endpoint, so the gateway refuses new logins with its
 * "cluster is not available" error (08006). Open sessions are not affected.
 */
public final class FaultyClusterDirectory implements ClusterDirectory {
    private final ClusterDirectory real;
    private final FaultRegistry faults;

    public FaultyClusterDirectory(ClusterDirectory real, FaultRegistry faults) {
        this.real = real;
        this.faults = faults;
    }

    @Override
    public Optional<ClusterView> find(String identifier) {
        return real.find(identifier).map(this::apply);
    }

    @Override
    public Optional<ClusterView> defaultCluster() {
        return real.defaultCluster().map(this::apply);
    }

    private ClusterView apply(ClusterView v) {
        if (!faults.refusesConnections(v.identifier())) {
            return v;
        }
        return new ClusterView(v.identifier(), v.accountId(), v.region(), v.status(), Optional.empty(), v.databaseId());
    }
}
