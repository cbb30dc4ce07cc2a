package dev.dsqllocal.clusters;

import java.util.Optional;

/** Read-only lookup of clusters for the SQL gateway. */
public interface ClusterDirectory {

    /** The cluster with this identifier in any account and region, unless it is gone. */
    Optional<ClusterView> find(String identifier);

    /**
     * The cluster that connections without a cluster host name (a token signed for {@code localhost} or an IP
     * address) go to: the first cluster created at startup, while it exists.
     */
    Optional<ClusterView> defaultCluster();
}
