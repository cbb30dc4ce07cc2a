package dev.dsqllocal.clusters;

/**
 * Where the domain's state survives restarts. {@link #save} is called after every change, under the domain's
 * lock, so saves arrive in order; when it returns, the snapshot must be durable (or the failure thrown).
 */
@FunctionalInterface
public interface ClusterPersistence {
    void save(ClusterSnapshot snapshot);
}
