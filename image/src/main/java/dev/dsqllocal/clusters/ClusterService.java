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
                Peering.checkPeers(state, id, spec.multiRegion().get());
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
            // A multi-Region cluster waits (AWS: PENDING_SETUP) until it and its peer name each other (see Peering);
            // a new cluster's peer cannot name it yet, so that is always after this call.
            ClusterStatus status = multi ? ClusterStatus.PENDING_SETUP : ClusterStatus.CREATING;
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
            Optional<Cluster> linkedBefore = Peering.linkedPeer(state, c);
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
            Optional<Cluster> linkedAfter = Peering.linkedPeer(state, c);
            if (linkedBefore.isPresent()
                    && !linkedAfter.map(Cluster::identifier).equals(linkedBefore.map(Cluster::identifier))) {
                unlink(c, linkedBefore.get());
            }
            boolean newLink = linkedAfter.isPresent() && linkedBefore.isEmpty();
            if (newLink) {
                c = link(c, linkedAfter.get());
            }
            if (c.status() == ClusterStatus.PENDING_SETUP) {
                if (newLink) {
                    c = c.withStatus(ClusterStatus.CREATING, scheduler.now());
                }
                state.put(c);
                state.persist();
                if (newLink) {
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

    /**
     * {@code c} and {@code peer} now name each other: they share one database from here on. A peer still waiting in
     * PENDING_SETUP goes on to CREATING and ACTIVE with {@code c} (AWS: "both clusters will begin the transition to
     * ACTIVE" once the first names the second). Returns {@code c} with the shared database; the peer is saved here.
     */
    private Cluster link(Cluster c, Cluster peer) {
        String database = Peering.sharedDatabase(c, peer);
        Cluster p = peer.withDatabase(database);
        if (p.status() == ClusterStatus.PENDING_SETUP) {
            p = p.withStatus(ClusterStatus.CREATING, scheduler.now());
            state.put(p);
            scheduler.startProvisioning(p.identifier(), p.statusSince());
        } else {
            state.put(p);
        }
        LOG.info("Clusters {} and {} peered: database {}", c.identifier(), p.identifier(), database);
        return c.withDatabase(database);
    }

    /**
     * {@code c}'s update dropped its linked peer {@code removed} (AWS: peers omitted from the list are removed,
     * which needs dsql:RemovePeerCluster). AWS does not document what then happens to the data; the emulator's
     * choice: the cluster that made the update keeps the shared database, and the link ends on both sides. A
     * removed peer waiting in PENDING_DELETE finishes its deletion (its data lives on in {@code c}); any other is
     * back in PENDING_SETUP with no data, like a new multi-Region cluster waiting for a peer, and a fresh database
     * of its own for when it is peered again.
     */
    private void unlink(Cluster c, Cluster removed) {
        Cluster q = removed.withMultiRegion(true, removed.witnessRegion(), Peering.without(removed, c));
        if (q.status() == ClusterStatus.PENDING_DELETE) {
            q = markDeleting(q);
            state.put(q);
            scheduler.startDelete(q.identifier(), q.statusSince());
        } else {
            q = q.withStatus(ClusterStatus.PENDING_SETUP, scheduler.now()).withDatabase(ClusterIds.newId());
            state.put(q);
        }
        LOG.info("Cluster {} no longer peered with {} (now {})", c.identifier(), q.identifier(), q.status());
    }

    private Cluster withMultiRegion(Caller caller, Cluster c, MultiRegion mr) {
        if (ClusterRules.isMultiRegion(mr)) {
            ClusterRules.checkMultiRegion(caller, c.identifier(), mr);
            Peering.checkPeers(state, c.identifier(), mr);
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
            if (c.status() == ClusterStatus.DELETING || c.status() == ClusterStatus.PENDING_DELETE) {
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
            // A peered cluster waits in PENDING_DELETE until its peer is deleted too, then both are deleted (AWS's
            // sample: "cluster1 will stay in PENDING_DELETE until cluster2 is deleted"). Meanwhile the peer serves
            // the shared database as before; it is destroyed with the last of the two.
            Optional<Cluster> peer = Peering.linkedPeer(state, c);
            if (peer.isPresent() && peer.get().status() != ClusterStatus.PENDING_DELETE) {
                c = c.withStatus(ClusterStatus.PENDING_DELETE, scheduler.now());
                state.put(c);
                state.persist();
                LOG.info(
                        "Cluster {} PENDING_DELETE until its peer {} is deleted",
                        id,
                        peer.get().identifier());
                return c;
            }
            c = markDeleting(c);
            state.put(c);
            Cluster pendingPeer = peer.map(this::markDeleting).orElse(null);
            if (pendingPeer != null) {
                state.put(pendingPeer);
            }
            state.persist();
            scheduler.startDelete(id, c.statusSince());
            if (pendingPeer != null) {
                scheduler.startDelete(pendingPeer.identifier(), pendingPeer.statusSince());
            }
            return c;
        }
    }

    private Cluster markDeleting(Cluster c) {
        Cluster deleting = c.withStatus(ClusterStatus.DELETING, scheduler.now());
        for (ClusterStream s : deleting.streams().values()) {
            deleting = deleting.withStream(s.withStatus(StreamStatus.DELETING, deleting.statusSince()));
        }
        return deleting;
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
                            c.status() == ClusterStatus.DELETING ? Optional.empty() : fleet.endpoint(c.database()),
                            c.database()));
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
