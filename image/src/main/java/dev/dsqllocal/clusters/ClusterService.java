package dev.dsqllocal.clusters;

import dev.dsqllocal.clusters.ClusterException.Conflict;
import dev.dsqllocal.clusters.ClusterException.InvalidInput;
import dev.dsqllocal.clusters.ClusterException.NotFound;
import dev.dsqllocal.clusters.ClusterException.Quota;
import dev.dsqllocal.clusters.ClusterException.QuotaExceeded;
import dev.dsqllocal.clusters.ClusterException.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clusters themselves: create, read, update, delete and list them, each operation one change of the shared
 * {@link ClusterState} (saved at once) whose slow part is handed to the {@link ClusterScheduler}; and the SQL
 * gateway's read-only {@link ClusterDirectory}.
 */
public final class ClusterService implements ClusterDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);

    /** What CreateCluster asks for (already validated against the model). */
    public record ClusterSpec(
            Optional<String> identifier,
            boolean deletionProtection,
            Optional<String> kmsKey,
            Optional<MultiRegion> multiRegion,
            Map<String, String> tags,
            Optional<String> policy) {}

    /** What UpdateCluster asks to change. */
    public record ClusterUpdate(
            Optional<Boolean> deletionProtection, Optional<String> kmsKey, Optional<MultiRegion> multiRegion) {}

    private final ClusterState state;
    private final ClusterScheduler scheduler;
    private final DatabaseFleet fleet;
    private final Lifecycle lifecycle;

    ClusterService(ClusterState state, ClusterScheduler scheduler, DatabaseFleet fleet, Lifecycle lifecycle) {
        this.state = state;
        this.scheduler = scheduler;
        this.fleet = fleet;
        this.lifecycle = lifecycle;
    }

    public Cluster createCluster(Caller caller, ClusterSpec spec) {
        synchronized (state) {
            String id = spec.identifier().orElseGet(ClusterIds::newId);
            if (state.contains(id)) {
                throw new Conflict("Cluster " + id + " already exists.", id, Resource.CLUSTER);
            }
            boolean multi = spec.multiRegion().map(ClusterRules::isMultiRegion).orElse(false);
            if (multi) {
                ClusterRules.checkMultiRegion(caller, id, spec.multiRegion().get());
            }
            long inScope = state.all().stream()
                    .filter(c -> c.isIn(caller) && c.status() != ClusterStatus.DELETING && c.multiRegion() == multi)
                    .count();
            if (inScope >= (multi ? lifecycle.maxMultiRegionClusters() : lifecycle.maxClusters())) {
                throw new QuotaExceeded(
                        "You have reached the cluster limit.",
                        id,
                        Resource.CLUSTER,
                        multi ? Quota.MULTI_REGION_CLUSTERS : Quota.SINGLE_REGION_CLUSTERS);
            }
            MultiRegion mr = spec.multiRegion().orElse(null);
            // The first member of a multi-Region pair waits for its peer (AWS: PENDING_SETUP) before it is built.
            ClusterStatus status =
                    multi && mr.peerArns().isEmpty() ? ClusterStatus.PENDING_SETUP : ClusterStatus.CREATING;
            Cluster c = Cluster.created(
                    id,
                    caller,
                    status,
                    scheduler.now(),
                    spec.deletionProtection(),
                    spec.kmsKey().map(k -> ClusterRules.kmsKeyArn(caller, k)).orElse(null),
                    spec.tags());
            if (multi) {
                c = c.withMultiRegion(true, mr.witnessRegion().orElse(null), mr.peerArns());
            }
            if (spec.policy().isPresent()) {
                c = c.withPolicy(spec.policy().get());
            }
            state.put(c);
            state.persist();
            LOG.info("Cluster {} ({} {}) {}", id, c.accountId(), c.region(), c.status());
            if (c.status() == ClusterStatus.CREATING) {
                scheduler.startProvisioning(id, c.statusSince());
            }
            return c;
        }
    }

    public Cluster getCluster(Caller caller, String id) {
        synchronized (state) {
            return cluster(state, caller, id);
        }
    }

    public Cluster updateCluster(Caller caller, String id, ClusterUpdate update) {
        synchronized (state) {
            Cluster c = cluster(state, caller, id);
            requireStatus(
                    c,
                    "updated",
                    ClusterStatus.ACTIVE,
                    ClusterStatus.PENDING_SETUP,
                    ClusterStatus.IDLE,
                    ClusterStatus.INACTIVE);
            if (update.multiRegion().isPresent()) {
                c = withMultiRegion(caller, c, update.multiRegion().get());
            }
            if (update.deletionProtection().isPresent()) {
                c = c.withDeletionProtection(update.deletionProtection().get());
            }
            if (update.kmsKey().isPresent()) {
                String arn = ClusterRules.kmsKeyArn(caller, update.kmsKey().get());
                c = c.withEncryption(arn, !Objects.equals(arn, c.kmsKeyArn()));
            }
            if (c.status() == ClusterStatus.PENDING_SETUP) {
                boolean peered = !c.peerClusterArns().isEmpty();
                if (peered) {
                    c = c.withStatus(ClusterStatus.CREATING, scheduler.now());
                }
                state.put(c);
                state.persist();
                if (peered) {
                    scheduler.startProvisioning(id, c.statusSince());
                }
                return c;
            }
            c = c.withStatus(ClusterStatus.UPDATING, scheduler.now());
            state.put(c);
            state.persist();
            scheduler.startUpdate(id);
            return c;
        }
    }

    private Cluster withMultiRegion(Caller caller, Cluster c, MultiRegion mr) {
        if (ClusterRules.isMultiRegion(mr)) {
            ClusterRules.checkMultiRegion(caller, c.identifier(), mr);
            if (!c.multiRegion()) {
                long multi = state.all().stream()
                        .filter(o -> o.isIn(caller) && o.multiRegion() && o.status() != ClusterStatus.DELETING)
                        .count();
                if (multi >= lifecycle.maxMultiRegionClusters()) {
                    throw new QuotaExceeded(
                            "You have reached the cluster limit.",
                            c.identifier(),
                            Resource.CLUSTER,
                            Quota.MULTI_REGION_CLUSTERS);
                }
            }
            return c.withMultiRegion(true, mr.witnessRegion().orElse(c.witnessRegion()), mr.peerArns());
        }
        if (c.status() == ClusterStatus.PENDING_SETUP) {
            throw InvalidInput.field(
                    "multiRegionProperties", "A cluster in PENDING_SETUP needs a witness Region and peer clusters.");
        }
        return c.withMultiRegion(false, null, java.util.List.of());
    }

    public Cluster deleteCluster(Caller caller, String id) {
        synchronized (state) {
            Cluster c = cluster(state, caller, id);
            if (c.status() == ClusterStatus.DELETING) {
                return c;
            }
            requireStatus(
                    c,
                    "deleted",
                    ClusterStatus.ACTIVE,
                    ClusterStatus.FAILED,
                    ClusterStatus.PENDING_SETUP,
                    ClusterStatus.IDLE,
                    ClusterStatus.INACTIVE);
            if (c.deletionProtectionEnabled()) {
                throw InvalidInput.deletionProtection("Cluster " + id + " has deletion protection enabled. Disable it"
                        + " with UpdateCluster before deleting the cluster.");
            }
            c = c.withStatus(ClusterStatus.DELETING, scheduler.now());
            for (ClusterStream s : c.streams().values()) {
                c = c.withStream(s.withStatus(StreamStatus.DELETING, c.statusSince()));
            }
            state.put(c);
            state.persist();
            scheduler.startDelete(id, c.statusSince());
            return c;
        }
    }

    /** The caller's clusters after identifier {@code after} ("" for the first page), in identifier order. */
    public Page<Cluster> listClusters(Caller caller, int maxResults, String after) {
        synchronized (state) {
            return state.page(caller, maxResults, after);
        }
    }

    /** Waits until the cluster leaves CREATING or UPDATING; true if it is then ACTIVE. */
    public boolean awaitActive(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (state) {
            while (true) {
                Optional<Cluster> c = state.get(id);
                if (c.isEmpty()
                        || (c.get().status() != ClusterStatus.CREATING
                                && c.get().status() != ClusterStatus.UPDATING)) {
                    return c.isPresent() && c.get().status() == ClusterStatus.ACTIVE;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(state, left);
            }
        }
    }

    /** Whether the startup clusters were created in an earlier run (they are created once, on first start). */
    public boolean isInitialized() {
        synchronized (state) {
            return state.initialized();
        }
    }

    /** Records that the startup clusters exist, the first of them being the default cluster. */
    public void markInitialized(Optional<String> defaultClusterId) {
        synchronized (state) {
            state.markInitialized(defaultClusterId);
            state.persist();
        }
    }

    public Optional<String> defaultClusterId() {
        synchronized (state) {
            return state.defaultClusterId();
        }
    }

    @Override
    public Optional<ClusterView> find(String identifier) {
        synchronized (state) {
            return state.get(identifier)
                    .map(c -> new ClusterView(
                            c.identifier(),
                            c.accountId(),
                            c.region(),
                            c.status(),
                            c.status() == ClusterStatus.DELETING ? Optional.empty() : fleet.endpoint(identifier)));
        }
    }

    @Override
    public Optional<ClusterView> defaultCluster() {
        return defaultClusterId().flatMap(this::find);
    }

    /** The caller's cluster {@code id}; callers hold the state's monitor. */
    static Cluster cluster(ClusterState state, Caller caller, String id) {
        return state.get(id)
                .filter(c -> c.isIn(caller))
                .orElseThrow(() -> new NotFound("Cluster " + id + " not found.", id, Resource.CLUSTER));
    }

    static void requireNotDeleting(Cluster c) {
        if (c.status() == ClusterStatus.DELETING) {
            throw new Conflict("Cluster " + c.identifier() + " is being deleted.", c.identifier(), Resource.CLUSTER);
        }
    }

    private static void requireStatus(Cluster c, String verb, ClusterStatus... allowed) {
        for (ClusterStatus s : allowed) {
            if (c.status() == s) {
                return;
            }
        }
        throw new Conflict(
                "Cluster " + c.identifier() + " cannot be " + verb + " while it is " + c.status() + ".",
                c.identifier(),
                Resource.CLUSTER);
    }
}
