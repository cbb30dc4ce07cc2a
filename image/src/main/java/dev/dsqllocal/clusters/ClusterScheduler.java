package dev.dsqllocal.clusters;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous half of the lifecycles: CREATING → ACTIVE once the cluster's PostgreSQL runs and the create
 * delay has passed, UPDATING → ACTIVE, DELETING → gone (data destroyed), and the same for streams; and, at start,
 * crash recovery from the saved state. Operations only change state and call {@code start*}; the delays count
 * from {@code statusSince}, so a restart continues a transition instead of restarting it. Fleet work runs on
 * {@link ClusterLanes}, one task at a time per cluster, so a delete never races a provision.
 */
final class ClusterScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterScheduler.class);

    private final ClusterState state;
    private final DatabaseFleet fleet;
    private final ChangeCapture capture;
    private final Lifecycle lifecycle;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final ClusterLanes lanes = new ClusterLanes(2);
    private volatile boolean closed;

    ClusterScheduler(ClusterState state, DatabaseFleet fleet, ChangeCapture capture, Lifecycle lifecycle, Clock clock) {
        this.state = state;
        this.fleet = fleet;
        this.capture = capture;
        this.lifecycle = lifecycle;
        this.clock = clock;
        ScheduledThreadPoolExecutor timerPool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lifecycle-timer");
            t.setDaemon(true);
            return t;
        });
        // On close, pending delayed transitions are dropped (they are finished at the next start from the saved
        // state) but a transition already running completes, so the state file is never written half-way.
        timerPool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timerPool.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.timers = timerPool;
    }

    long now() {
        return clock.millis();
    }

    /** CREATING: provisions the database, then ACTIVE at {@code since} + the create delay (FAILED if it fails). */
    void startProvisioning(String id, long since) {
        long readyAt = since + lifecycle.createDelay().toMillis();
        String database = databaseOf(id);
        lane(database, () -> {
            long t0 = System.nanoTime();
            try {
                fleet.provision(database);
                LOG.debug("Cluster {}: PostgreSQL ready in {} ms", id, (System.nanoTime() - t0) / 1_000_000);
            } catch (Exception e) {
                LOG.error("Cluster {}: provisioning its PostgreSQL failed; status FAILED", id, e);
                transition(id, ClusterStatus.CREATING, ClusterStatus.FAILED);
                return;
            }
            long wait = Math.max(0, readyAt - now());
            schedule(Duration.ofMillis(wait), () -> transition(id, ClusterStatus.CREATING, ClusterStatus.ACTIVE));
        });
    }

    /** UPDATING → ACTIVE after the update delay. */
    void startUpdate(String id) {
        schedule(lifecycle.updateDelay(), () -> finishUpdate(id));
    }

    /**
     * DELETING: after the delete delay counted from {@code since}, destroys the cluster's database unless another
     * cluster still serves it (a peer: the shared database goes with the last of them), then forgets the cluster.
     */
    void startDelete(String id, long since) {
        long wait = Math.max(0, since + lifecycle.deleteDelay().toMillis() - now());
        String database = databaseOf(id);
        schedule(
                Duration.ofMillis(wait),
                () -> lane(database, () -> {
                    for (String streamId : streamIds(id)) {
                        capture.stop(database, streamId, true);
                    }
                    if (!servedByAnother(database, id)) {
                        try {
                            fleet.destroy(database);
                        } catch (Exception e) {
                            // The record goes anyway: a leftover data directory is an orphan, removed at next start.
                            LOG.warn("Cluster {}: deleting its PostgreSQL data failed", id, e);
                        }
                    }
                    synchronized (state) {
                        if (state.get(id)
                                .filter(c -> c.status() == ClusterStatus.DELETING)
                                .isPresent()) {
                            state.remove(id);
                            state.persist();
                            LOG.info("Cluster {} deleted", id);
                            state.notifyAll();
                        }
                    }
                }));
    }

    /** The database cluster {@code id} serves ({@link Cluster#database()}); its own identifier once it is gone. */
    private String databaseOf(String id) {
        synchronized (state) {
            return state.get(id).map(Cluster::database).orElse(id);
        }
    }

    private boolean servedByAnother(String database, String id) {
        synchronized (state) {
            return state.all().stream()
                    .anyMatch(c -> !c.identifier().equals(id) && c.database().equals(database));
        }
    }

    /**
     * Stream CREATING: its capture starts at once (changes committed from now on are kept), ACTIVE after the
     * stream create delay counted from {@code since}; FAILED (INTERNAL_ERROR) if the capture cannot start.
     */
    void startStreamCreate(String clusterId, String streamId, long since) {
        long wait = Math.max(0, since + lifecycle.streamCreateDelay().toMillis() - now());
        lane(clusterId, () -> {
            if (startCapture(clusterId, streamId)) {
                schedule(Duration.ofMillis(wait), () -> finishStream(clusterId, streamId, StreamStatus.CREATING));
            }
        });
    }

    /** Stream DELETING: delivery stops at once; gone after the stream delete delay counted from {@code since}. */
    void startStreamDelete(String clusterId, String streamId, long since) {
        long wait = Math.max(0, since + lifecycle.streamDeleteDelay().toMillis() - now());
        lane(clusterId, () -> capture.stop(databaseOf(clusterId), streamId, true));
        schedule(Duration.ofMillis(wait), () -> finishStream(clusterId, streamId, StreamStatus.DELETING));
    }

    /** Starts the stream's capture if it should run; false (and the stream FAILED) when it cannot start. */
    private boolean startCapture(String clusterId, String streamId) {
        ClusterStreams.Capturing target;
        synchronized (state) {
            Cluster c = state.get(clusterId).orElse(null);
            ClusterStream s = c == null ? null : c.streams().get(streamId);
            if (s == null || s.status() == StreamStatus.DELETING || s.status() == StreamStatus.FAILED) {
                return false;
            }
            target = new ClusterStreams.Capturing(
                    clusterId, c.database(), c.accountId(), c.region(), streamId, s.kinesisStreamArn());
        }
        try {
            capture.start(target);
            return true;
        } catch (Exception e) {
            LOG.error("Cluster {}: cannot start capturing stream {}; status FAILED", clusterId, streamId, e);
            synchronized (state) {
                state.get(clusterId).ifPresent(c -> {
                    ClusterStream s = c.streams().get(streamId);
                    if (s != null && s.status() != StreamStatus.DELETING) {
                        state.put(c.withStream(s.failed("INTERNAL_ERROR", now())));
                        state.persist();
                        state.notifyAll();
                    }
                });
            }
            return false;
        }
    }

    private List<String> streamIds(String clusterId) {
        synchronized (state) {
            return state.get(clusterId)
                    .map(c -> List.copyOf(c.streams().keySet()))
                    .orElse(List.of());
        }
    }

    private void finishUpdate(String id) {
        synchronized (state) {
            state.get(id).filter(c -> c.status() == ClusterStatus.UPDATING).ifPresent(c -> {
                state.put(c.withEncryption(c.kmsKeyArn(), false).withStatus(ClusterStatus.ACTIVE, now()));
                state.persist();
                LOG.info("Cluster {} ACTIVE (update done)", id);
                state.notifyAll();
            });
        }
    }

    private void transition(String id, ClusterStatus from, ClusterStatus to) {
        synchronized (state) {
            state.get(id).filter(c -> c.status() == from).ifPresent(c -> {
                state.put(c.withStatus(to, now()));
                state.persist();
                LOG.info("Cluster {} {}", id, to);
                state.notifyAll();
            });
        }
    }

    private void finishStream(String clusterId, String streamId, StreamStatus from) {
        synchronized (state) {
            state.get(clusterId).ifPresent(c -> {
                ClusterStream s = c.streams().get(streamId);
                if (s == null || s.status() != from) {
                    return;
                }
                state.put(
                        from == StreamStatus.CREATING
                                ? c.withStream(s.withStatus(StreamStatus.ACTIVE, now()))
                                : c.withoutStream(streamId));
                state.persist();
            });
        }
    }

    /**
     * Picks up where a previous run stopped: CREATING clusters are provisioned and continue, UPDATING ones become
     * ACTIVE, DELETING ones finish deleting, streams finish their transitions, settled clusters get their
     * PostgreSQL started again, and database directories no cluster names are destroyed. The returned future
     * completes when every settled cluster's PostgreSQL is running again (or failed to start, which is logged).
     */
    CompletableFuture<Void> recover(Set<String> existingDatabases) {
        Set<String> toStart = new java.util.LinkedHashSet<>();
        List<Runnable> restartCaptures = new ArrayList<>();
        synchronized (state) {
            for (Cluster c : state.all()) {
                String id = c.identifier();
                switch (c.status()) {
                    case CREATING -> startProvisioning(id, c.statusSince());
                    case UPDATING -> {
                        state.put(c.withEncryption(c.kmsKeyArn(), false).withStatus(ClusterStatus.ACTIVE, now()));
                        toStart.add(c.database());
                    }
                    case DELETING -> startDelete(id, c.statusSince());
                    // A PENDING_DELETE cluster's database is its peer's too: it is kept running.
                    case ACTIVE, IDLE, INACTIVE, PENDING_DELETE -> toStart.add(c.database());
                    default -> {}
                }
                for (ClusterStream s : c.streams().values()) {
                    if (s.status() == StreamStatus.CREATING) {
                        // after the database is started again (queued behind it on the cluster's lane)
                        long since = s.statusSince();
                        String streamId = s.identifier();
                        restartCaptures.add(() -> startStreamCreate(id, streamId, since));
                    } else if (s.status() == StreamStatus.ACTIVE || s.status() == StreamStatus.IMPAIRED) {
                        // after the database is started again (the lane runs that first)
                        String streamId = s.identifier();
                        restartCaptures.add(() -> lane(id, () -> startCapture(id, streamId)));
                    } else if (s.status() == StreamStatus.DELETING && c.status() != ClusterStatus.DELETING) {
                        startStreamDelete(id, s.identifier(), s.statusSince());
                    }
                }
            }
            // A database is in use while any cluster serves it, whatever its identifier (peers share one).
            Set<String> inUse = new java.util.HashSet<>();
            state.all().forEach(c -> inUse.add(c.database()));
            for (String orphan : existingDatabases) {
                if (!inUse.contains(orphan)) {
                    LOG.info("Removing database of unknown cluster {} (left over from an interrupted delete)", orphan);
                    lane(orphan, () -> {
                        try {
                            fleet.destroy(orphan);
                        } catch (Exception e) {
                            LOG.warn("Cannot remove orphan database {}", orphan, e);
                        }
                    });
                }
            }
            state.persist();
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (String database : toStart) {
            starts.add(lane(database, () -> {
                try {
                    fleet.provision(database);
                } catch (Exception e) {
                    LOG.error("Database {}: cannot start its PostgreSQL", database, e);
                }
            }));
        }
        restartCaptures.forEach(Runnable::run);
        return CompletableFuture.allOf(starts.toArray(new CompletableFuture[0]));
    }

    private void schedule(Duration delay, Runnable task) {
        if (closed) {
            return;
        }
        Runnable safe = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Lifecycle task failed", e);
            }
        };
        if (delay.isZero() || delay.isNegative()) {
            timers.execute(safe);
        } else {
            timers.schedule(safe, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Runs fleet work for one database after the work already queued for it (nothing once closed); keyed by the
     * database, so peers that share one never race each other's provision and destroy.
     */
    private CompletableFuture<Void> lane(String database, Runnable work) {
        return lanes.submit(database, () -> {
            if (!closed) {
                work.run();
            }
        });
    }

    /** Stops the timers and workers (waiting briefly for work in flight); the fleet is closed by its owner. */
    @Override
    public void close() {
        closed = true;
        timers.shutdown();
        try {
            timers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.close();
    }
}
