package dev.dsqllocal.clusters;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * The domain put together: one shared {@link ClusterState} (loaded from a snapshot, saved through a
 * {@link ClusterPersistence}), the services that change it and the scheduler that finishes their transitions.
 * Construct it, call {@link #recover()} once, and {@link #close()} it before closing the fleet.
 */
public final class ClusterDomain implements AutoCloseable {
    private final ClusterScheduler scheduler;
    private final ClusterService clusters;
    private final ClusterPolicies policies;
    private final ClusterStreams streams;
    private final ResourceTags tags;
    private final DatabaseFleet fleet;

    public ClusterDomain(
            ClusterSnapshot loaded,
            ClusterPersistence persistence,
            DatabaseFleet fleet,
            Lifecycle lifecycle,
            Clock clock) {
        this(loaded, persistence, fleet, ChangeCapture.NONE, lifecycle, clock);
    }

    /** As above, with the CDC streams captured through {@code capture}. */
    public ClusterDomain(
            ClusterSnapshot loaded,
            ClusterPersistence persistence,
            DatabaseFleet fleet,
            ChangeCapture capture,
            Lifecycle lifecycle,
            Clock clock) {
        ClusterState state = new ClusterState(loaded, persistence);
        this.fleet = fleet;
        this.scheduler = new ClusterScheduler(state, fleet, capture, lifecycle, clock);
        this.clusters = new ClusterService(state, scheduler, fleet, lifecycle);
        this.policies = new ClusterPolicies(state);
        this.streams = new ClusterStreams(state, scheduler, lifecycle);
        this.tags = new ResourceTags(state);
    }

    /**
     * Finishes what the previous run left in progress and starts the settled clusters' databases again (see
     * {@link ClusterScheduler#recover}); the future completes when those are running.
     */
    public CompletableFuture<Void> recover() throws IOException {
        return scheduler.recover(fleet.existingClusterIds());
    }

    public ClusterService clusters() {
        return clusters;
    }

    public ClusterPolicies policies() {
        return policies;
    }

    public ClusterStreams streams() {
        return streams;
    }

    public ResourceTags tags() {
        return tags;
    }

    /** Stops the lifecycle timers and workers (waiting briefly for work in flight); the fleet stays open. */
    @Override
    public void close() {
        scheduler.close();
    }
}
