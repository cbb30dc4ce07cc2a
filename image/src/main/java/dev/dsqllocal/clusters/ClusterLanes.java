package dev.dsqllocal.clusters;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the slow work of clusters (starting, deleting their PostgreSQL) on a few worker threads, one task at a
 * time per cluster and in submission order, so a delete never overtakes the provisioning it follows.
 */
final class ClusterLanes implements AutoCloseable {
    private final ExecutorService workers;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    ClusterLanes(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lifecycle-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code work} behind the cluster's earlier work; a failure of earlier work does not block it. */
    CompletableFuture<Void> submit(String clusterId, Runnable work) {
        CompletableFuture<Void> queued = tails.compute(clusterId, (k, tail) -> {
            CompletableFuture<Void> prev = tail == null ? CompletableFuture.completedFuture(null) : tail;
            return prev.handle((r, e) -> null).thenRunAsync(work, workers);
        });
        // Forget the lane once it is idle, so the map does not grow with every cluster ever made.
        queued.whenComplete((r, e) -> tails.remove(clusterId, queued));
        return queued;
    }

    /** Lets work in flight finish (briefly), then stops the workers. */
    @Override
    public void close() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
