package dev.dsqllocal.clusters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dsqllocal.controlplane.ApiException;
import dev.dsqllocal.storage.ClusterRecord;
import dev.dsqllocal.storage.IdempotencyRecord;
import dev.dsqllocal.storage.ServiceState;
import dev.dsqllocal.storage.StateStore;
import dev.dsqllocal.storage.StreamRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clusters and streams of every account and region, their asynchronous lifecycles and their persistence.
 *
 * <p>All state lives in one {@link ServiceState} guarded by this object's monitor and is saved after every
 * mutation. API calls only change state and schedule work; the slow parts (starting or deleting a cluster's
 * PostgreSQL) run on worker threads, serialised per cluster so a delete never races a provision.
 */
public final class ClusterService implements ClusterDirectory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);
    private static final Duration IDEMPOTENCY_RETENTION = Duration.ofHours(24);
    private static final String CLUSTER = "cluster";
    private static final String STREAM = "stream";

    /** A page of a listing. */
    public record Page<T>(List<T> items, Optional<String> nextToken) {
    }

    /** What CreateCluster asks for (already validated against the model). */
    public record ClusterSpec(Optional<String> identifier, boolean deletionProtection, Optional<String> kmsKey,
            Optional<MultiRegion> multiRegion, Map<String, String> tags, Optional<String> policy) {
    }

    /** multiRegionProperties as given: a witness region and the peer clusters. */
    public record MultiRegion(Optional<String> witnessRegion, List<String> peerArns) {
    }

    /** What UpdateCluster asks to change. */
    public record ClusterUpdate(Optional<Boolean> deletionProtection, Optional<String> kmsKey,
            Optional<MultiRegion> multiRegion) {
    }

    /** What CreateStream asks for. */
    public record StreamSpec(String kinesisStreamArn, String roleArn, String ordering, String format,
            Map<String, String> tags) {
    }

    private final ServiceState state;
    private final StateStore store;
    private final DatabaseFleet fleet;
    private final Lifecycle lifecycle;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final ClusterLanes lanes = new ClusterLanes(2);
    private int batchDepth;
    private volatile boolean closed;

    public ClusterService(ServiceState state, StateStore store, DatabaseFleet fleet, Lifecycle lifecycle, Clock clock) {
        this.state = state;
        this.store = store;
        this.fleet = fleet;
        this.lifecycle = lifecycle;
        this.clock = clock;
        ScheduledThreadPoolExecutor timerPool = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "lifecycle-timer"));
        // On close, pending delayed transitions are dropped (they are finished at the next start from the saved
        // state) but a transition already running completes, so the state file is never written half-way.
        timerPool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timerPool.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.timers = timerPool;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    // ---------------------------------------------------------------- idempotency

    /**
     * Runs {@code action} once per client token: a retry with the same token and the same input gets the first
     * answer without doing anything again; the same token with different input is a ConflictException.
     */
    public synchronized ObjectNode idempotent(Caller caller, String operation, Optional<String> token,
            JsonNode fingerprint, Supplier<ObjectNode> action) {
        if (token.isEmpty()) {
            return action.get();
        }
        String key = caller.accountId() + "/" + caller.region() + "/" + operation + "/" + token.get();
        IdempotencyRecord previous = state.idempotency.get(key);
        if (previous != null) {
            if (previous.fingerprint.equals(fingerprint)) {
                return previous.response.deepCopy();
            }
            throw ApiException.conflict("The client token " + token.get()
                    + " was already used for a different request.", null, null);
        }
        batchDepth++;
        ObjectNode response;
        try {
            response = action.get();
        } finally {
            batchDepth--;
        }
        IdempotencyRecord record = new IdempotencyRecord();
        record.key = key;
        record.fingerprint = fingerprint;
        record.response = response.deepCopy();
        record.createdAt = now();
        long horizon = now() - IDEMPOTENCY_RETENTION.toMillis();
        state.idempotency.values().removeIf(r -> r.createdAt < horizon);
        state.idempotency.put(key, record);
        persist();
        return response;
    }

    // ---------------------------------------------------------------- clusters

    public synchronized ClusterRecord createCluster(Caller caller, ClusterSpec spec) {
        String id = spec.identifier().orElseGet(ClusterIds::newId);
        if (state.clusters.containsKey(id)) {
            throw ApiException.conflict("Cluster " + id + " already exists.", id, CLUSTER);
        }
        boolean multi = spec.multiRegion().map(ClusterRules::isMultiRegion).orElse(false);
        if (multi) {
            ClusterRules.checkMultiRegion(caller, id, spec.multiRegion().get());
        }
        long inScope = state.clusters.values().stream()
                .filter(c -> inScope(c, caller) && c.status != ClusterStatus.DELETING && c.multiRegion == multi)
                .count();
        int quota = multi ? lifecycle.maxMultiRegionClusters() : lifecycle.maxClusters();
        if (inScope >= quota) {
            throw ApiException.quotaExceeded("You have reached the cluster limit.", id, CLUSTER,
                    multi ? "dsql-local-multi-region-clusters" : "dsql-local-single-region-clusters");
        }
        ClusterRecord c = new ClusterRecord();
        c.identifier = id;
        c.accountId = caller.accountId();
        c.region = caller.region();
        c.creationTime = now();
        c.statusSince = c.creationTime;
        c.deletionProtectionEnabled = spec.deletionProtection();
        c.kmsKeyArn = spec.kmsKey().map(k -> ClusterRules.kmsKeyArn(caller, k)).orElse(null);
        c.tags.putAll(spec.tags());
        if (multi) {
            c.multiRegion = true;
            c.witnessRegion = spec.multiRegion().get().witnessRegion().orElse(null);
            c.peerClusterArns.addAll(spec.multiRegion().get().peerArns());
        }
        spec.policy().ifPresent(p -> {
            requireJsonObject(p);
            c.policy = p;
            c.policyVersion = ++c.policyVersionCounter;
        });
        // The first member of a multi-Region pair waits for its peer (AWS: PENDING_SETUP) before it is built.
        c.status = multi && c.peerClusterArns.isEmpty() ? ClusterStatus.PENDING_SETUP : ClusterStatus.CREATING;
        state.clusters.put(id, c);
        persist();
        LOG.info("Cluster {} ({} {}) {}", id, c.accountId, c.region, c.status);
        if (c.status == ClusterStatus.CREATING) {
            startProvisioning(id, c.statusSince);
        }
        return c.copy();
    }

    public synchronized ClusterRecord getCluster(Caller caller, String id) {
        return cluster(caller, id).copy();
    }

    public synchronized ClusterRecord updateCluster(Caller caller, String id, ClusterUpdate update) {
        ClusterRecord c = cluster(caller, id);
        requireSettled(c, "updated", ClusterStatus.ACTIVE, ClusterStatus.PENDING_SETUP, ClusterStatus.IDLE,
                ClusterStatus.INACTIVE);
        if (update.multiRegion().isPresent()) {
            MultiRegion mr = update.multiRegion().get();
            if (ClusterRules.isMultiRegion(mr)) {
                ClusterRules.checkMultiRegion(caller, id, mr);
                if (!c.multiRegion) {
                    long multi = state.clusters.values().stream()
                            .filter(o -> inScope(o, caller) && o.multiRegion && o.status != ClusterStatus.DELETING)
                            .count();
                    if (multi >= lifecycle.maxMultiRegionClusters()) {
                        throw ApiException.quotaExceeded("You have reached the cluster limit.", id, CLUSTER,
                                "dsql-local-multi-region-clusters");
                    }
                }
                c.multiRegion = true;
                c.witnessRegion = mr.witnessRegion().orElse(c.witnessRegion);
                c.peerClusterArns = new ArrayList<>(mr.peerArns());
            } else if (c.status == ClusterStatus.PENDING_SETUP) {
                throw ApiException.invalidField("multiRegionProperties",
                        "A cluster in PENDING_SETUP needs a witness Region and peer clusters.");
            } else {
                c.multiRegion = false;
                c.witnessRegion = null;
                c.peerClusterArns = new ArrayList<>();
            }
        }
        update.deletionProtection().ifPresent(p -> c.deletionProtectionEnabled = p);
        update.kmsKey().ifPresent(k -> {
            String arn = ClusterRules.kmsKeyArn(caller, k);
            c.encryptionChanging = !java.util.Objects.equals(arn, c.kmsKeyArn);
            c.kmsKeyArn = arn;
        });
        if (c.status == ClusterStatus.PENDING_SETUP) {
            if (!c.peerClusterArns.isEmpty()) {
                setStatus(c, ClusterStatus.CREATING);
                persist();
                startProvisioning(id, c.statusSince);
            } else {
                persist();
            }
            return c.copy();
        }
        setStatus(c, ClusterStatus.UPDATING);
        persist();
        schedule(lifecycle.updateDelay(), () -> finishUpdate(id));
        return c.copy();
    }

    public synchronized ClusterRecord deleteCluster(Caller caller, String id) {
        ClusterRecord c = cluster(caller, id);
        if (c.status == ClusterStatus.DELETING) {
            return c.copy();
        }
        requireSettled(c, "deleted", ClusterStatus.ACTIVE, ClusterStatus.FAILED, ClusterStatus.PENDING_SETUP,
                ClusterStatus.IDLE, ClusterStatus.INACTIVE);
        if (c.deletionProtectionEnabled) {
            throw ApiException.validation("deletionProtectionEnabled", "Cluster " + id
                    + " has deletion protection enabled. Disable it with UpdateCluster before deleting the cluster.",
                    List.of());
        }
        setStatus(c, ClusterStatus.DELETING);
        for (StreamRecord s : c.streams.values()) {
            s.status = StreamRecord.Status.DELETING;
            s.statusSince = c.statusSince;
        }
        persist();
        scheduleDelete(id, c.statusSince);
        return c.copy();
    }

    public synchronized Page<ClusterRecord> listClusters(Caller caller, int maxResults, Optional<String> nextToken) {
        String after = nextToken.map(t -> PageToken.decode(CLUSTER, t)).orElse("");
        List<ClusterRecord> all = state.clusters.values().stream()
                .filter(c -> inScope(c, caller) && c.identifier.compareTo(after) > 0)
                .sorted(Comparator.comparing(c -> c.identifier))
                .toList();
        List<ClusterRecord> page = new ArrayList<>();
        for (int i = 0; i < Math.min(maxResults, all.size()); i++) {
            page.add(all.get(i).copy());
        }
        Optional<String> next = all.size() > maxResults
                ? Optional.of(PageToken.encode(CLUSTER, page.get(page.size() - 1).identifier))
                : Optional.empty();
        return new Page<>(page, next);
    }

    // ---------------------------------------------------------------- policies

    public synchronized long putPolicy(Caller caller, String id, String policy, Optional<String> expectedVersion) {
        ClusterRecord c = cluster(caller, id);
        requireNotDeleting(c);
        checkPolicyVersion(c, expectedVersion);
        requireJsonObject(policy);
        c.policy = policy;
        c.policyVersion = ++c.policyVersionCounter;
        persist();
        return c.policyVersion;
    }

    public synchronized ClusterRecord getPolicy(Caller caller, String id) {
        ClusterRecord c = cluster(caller, id);
        if (c.policy == null) {
            throw ApiException.notFound("No resource policy is attached to cluster " + id + ".", id, CLUSTER);
        }
        return c.copy();
    }

    public synchronized long deletePolicy(Caller caller, String id, Optional<String> expectedVersion) {
        ClusterRecord c = cluster(caller, id);
        requireNotDeleting(c);
        if (c.policy == null) {
            throw ApiException.notFound("No resource policy is attached to cluster " + id + ".", id, CLUSTER);
        }
        checkPolicyVersion(c, expectedVersion);
        long deleted = c.policyVersion;
        c.policy = null;
        c.policyVersion = 0;
        persist();
        return deleted;
    }

    private static void checkPolicyVersion(ClusterRecord c, Optional<String> expected) {
        if (expected.isPresent()) {
            String current = c.policy == null ? "" : Long.toString(c.policyVersion);
            if (!expected.get().equals(current)) {
                throw ApiException.conflict("The expected policy version " + expected.get()
                        + " does not match the current policy version"
                        + (c.policy == null ? " (no policy attached)." : " " + current + "."), c.identifier, CLUSTER);
            }
        }
    }

    private static void requireJsonObject(String policy) {
        try {
            JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(policy);
            if (node != null && node.isObject()) {
                return;
            }
        } catch (java.io.IOException e) {
            // falls through
        }
        throw ApiException.invalidField("policy", "The policy document must be a JSON object.");
    }

    // ---------------------------------------------------------------- streams

    public synchronized StreamRecord createStream(Caller caller, String clusterId, StreamSpec spec) {
        ClusterRecord c = cluster(caller, clusterId);
        if (c.status != ClusterStatus.ACTIVE) {
            throw ApiException.validation("other", "Cluster " + clusterId + " is " + c.status
                    + "; streams can only be created on an ACTIVE cluster.", List.of());
        }
        Arns.ForeignArn kinesis = Arns.parseKinesisStream(spec.kinesisStreamArn()).orElseThrow(() ->
                ApiException.invalidField("targetDefinition.kinesis.streamArn", "Invalid Kinesis stream ARN."));
        if (!kinesis.accountId().equals(c.accountId) || !kinesis.region().equals(c.region)) {
            throw ApiException.invalidField("targetDefinition.kinesis.streamArn",
                    "The Kinesis stream must be in the same account and Region as the cluster.");
        }
        Arns.ForeignArn role = Arns.parseRole(spec.roleArn()).orElseThrow(() ->
                ApiException.invalidField("targetDefinition.kinesis.roleArn", "Invalid IAM role ARN."));
        if (!role.accountId().equals(c.accountId)) {
            throw ApiException.invalidField("targetDefinition.kinesis.roleArn",
                    "The IAM role must be in the same account as the cluster.");
        }
        long live = c.streams.values().stream().filter(s -> s.status != StreamRecord.Status.DELETING).count();
        if (live >= lifecycle.maxStreams()) {
            throw ApiException.quotaExceeded("You have reached the stream limit.", clusterId, STREAM,
                    "dsql-local-streams-per-cluster");
        }
        StreamRecord s = new StreamRecord();
        s.identifier = ClusterIds.newId();
        s.status = StreamRecord.Status.CREATING;
        s.creationTime = now();
        s.statusSince = s.creationTime;
        s.ordering = spec.ordering();
        s.format = spec.format();
        s.kinesisStreamArn = spec.kinesisStreamArn();
        s.roleArn = spec.roleArn();
        s.tags.putAll(spec.tags());
        c.streams.put(s.identifier, s);
        persist();
        String sid = s.identifier;
        schedule(lifecycle.streamCreateDelay(), () -> finishStreamCreate(clusterId, sid));
        return s.copy();
    }

    public synchronized StreamRecord getStream(Caller caller, String clusterId, String streamId) {
        return stream(cluster(caller, clusterId), streamId).copy();
    }

    public synchronized StreamRecord deleteStream(Caller caller, String clusterId, String streamId) {
        ClusterRecord c = cluster(caller, clusterId);
        StreamRecord s = stream(c, streamId);
        if (s.status == StreamRecord.Status.DELETING) {
            return s.copy();
        }
        if (s.status == StreamRecord.Status.CREATING) {
            throw ApiException.conflict("Stream " + streamId + " is CREATING; wait until it is ACTIVE.", streamId,
                    STREAM);
        }
        s.status = StreamRecord.Status.DELETING;
        s.statusSince = now();
        persist();
        schedule(lifecycle.streamDeleteDelay(), () -> finishStreamDelete(clusterId, streamId));
        return s.copy();
    }

    public synchronized Page<StreamRecord> listStreams(Caller caller, String clusterId, int maxResults,
            Optional<String> nextToken) {
        ClusterRecord c = cluster(caller, clusterId);
        String after = nextToken.map(t -> PageToken.decode(STREAM, t)).orElse("");
        List<StreamRecord> all = c.streams.values().stream()
                .filter(s -> s.identifier.compareTo(after) > 0)
                .sorted(Comparator.comparing(s -> s.identifier))
                .toList();
        List<StreamRecord> page = new ArrayList<>();
        for (int i = 0; i < Math.min(maxResults, all.size()); i++) {
            page.add(all.get(i).copy());
        }
        Optional<String> next = all.size() > maxResults
                ? Optional.of(PageToken.encode(STREAM, page.get(page.size() - 1).identifier))
                : Optional.empty();
        return new Page<>(page, next);
    }

    // ---------------------------------------------------------------- tags

    public synchronized void tagResource(Caller caller, String arn, Map<String, String> tags) {
        Map<String, String> current = taggable(caller, arn, "TagResource");
        Set<String> keys = new HashSet<>(current.keySet());
        keys.addAll(tags.keySet());
        if (keys.size() > 200) {
            throw ApiException.quotaExceeded("You have reached the tag limit: a resource can have at most 200 tags.",
                    arn, "tag", "dsql-local-tags-per-resource");
        }
        current.putAll(tags);
        persist();
    }

    public synchronized void untagResource(Caller caller, String arn, List<String> keys) {
        Map<String, String> current = taggable(caller, arn, "UntagResource");
        keys.forEach(current::remove);
        persist();
    }

    public synchronized Map<String, String> listTags(Caller caller, String arn) {
        return new java.util.LinkedHashMap<>(taggable(caller, arn, "ListTagsForResource"));
    }

    /** The live tag map of the cluster or stream named by {@code arn}. */
    private Map<String, String> taggable(Caller caller, String arn, String action) {
        Arns.DsqlArn parsed = Arns.parseDsql(arn).orElseThrow(() -> ApiException.invalidField("resourceArn",
                "Invalid resource ARN: " + arn + " is not an Aurora DSQL cluster or stream ARN."));
        if (!parsed.accountId().equals(caller.accountId())) {
            throw ApiException.accessDenied("User: " + caller.principalArn() + " is not authorized to perform: dsql:"
                    + action + " on resource: " + arn);
        }
        ClusterRecord c = state.clusters.get(parsed.clusterId());
        String type = parsed.streamId() == null ? CLUSTER : STREAM;
        if (c == null || !inScope(c, caller) || !parsed.region().equals(caller.region())
                || !parsed.partition().equals(Arns.partition(c.region))) {
            throw ApiException.notFound("Resource " + arn + " not found.", arn, type);
        }
        if (parsed.streamId() == null) {
            return c.tags;
        }
        StreamRecord s = c.streams.get(parsed.streamId());
        if (s == null) {
            throw ApiException.notFound("Resource " + arn + " not found.", arn, type);
        }
        return s.tags;
    }

    // ---------------------------------------------------------------- lifecycle

    private void startProvisioning(String id, long since) {
        long readyAt = since + lifecycle.createDelay().toMillis();
        lane(id, () -> {
            long t0 = System.nanoTime();
            try {
                fleet.provision(id);
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

    private synchronized void finishUpdate(String id) {
        ClusterRecord c = state.clusters.get(id);
        if (c != null && c.status == ClusterStatus.UPDATING) {
            c.encryptionChanging = false;
            setStatus(c, ClusterStatus.ACTIVE);
            persist();
            LOG.info("Cluster {} ACTIVE (update done)", id);
            notifyAll();
        }
    }

    private void scheduleDelete(String id, long since) {
        long wait = Math.max(0, since + lifecycle.deleteDelay().toMillis() - now());
        schedule(Duration.ofMillis(wait), () -> lane(id, () -> {
            try {
                fleet.destroy(id);
            } catch (Exception e) {
                // The record goes anyway: a leftover data directory is an orphan, removed at the next start.
                LOG.warn("Cluster {}: deleting its PostgreSQL data failed", id, e);
            }
            synchronized (this) {
                ClusterRecord c = state.clusters.get(id);
                if (c != null && c.status == ClusterStatus.DELETING) {
                    state.clusters.remove(id);
                    persist();
                    LOG.info("Cluster {} deleted", id);
                    notifyAll();
                }
            }
        }));
    }

    private synchronized void transition(String id, ClusterStatus from, ClusterStatus to) {
        ClusterRecord c = state.clusters.get(id);
        if (c != null && c.status == from) {
            setStatus(c, to);
            persist();
            LOG.info("Cluster {} {}", id, to);
            notifyAll();
        }
    }

    private synchronized void finishStreamCreate(String clusterId, String streamId) {
        ClusterRecord c = state.clusters.get(clusterId);
        StreamRecord s = c == null ? null : c.streams.get(streamId);
        if (s != null && s.status == StreamRecord.Status.CREATING) {
            s.status = StreamRecord.Status.ACTIVE;
            s.statusSince = now();
            persist();
        }
    }

    private synchronized void finishStreamDelete(String clusterId, String streamId) {
        ClusterRecord c = state.clusters.get(clusterId);
        if (c != null && c.streams.containsKey(streamId)
                && c.streams.get(streamId).status == StreamRecord.Status.DELETING) {
            c.streams.remove(streamId);
            persist();
        }
    }

    /**
     * Picks up where a previous run stopped: CREATING clusters are provisioned and continue, UPDATING ones become
     * ACTIVE, DELETING ones finish deleting, streams finish their transitions, settled clusters get their
     * PostgreSQL started again, and database directories no cluster names are destroyed. The returned future
     * completes when every settled cluster's PostgreSQL is running again (or failed to start, which is logged).
     */
    public CompletableFuture<Void> recover(Set<String> existingDatabases) {
        List<String> toStart = new ArrayList<>();
        synchronized (this) {
            for (ClusterRecord c : state.clusters.values()) {
                switch (c.status) {
                    case CREATING:
                        startProvisioning(c.identifier, c.statusSince);
                        break;
                    case UPDATING:
                        c.encryptionChanging = false;
                        setStatus(c, ClusterStatus.ACTIVE);
                        toStart.add(c.identifier);
                        break;
                    case DELETING:
                        scheduleDelete(c.identifier, c.statusSince);
                        break;
                    case ACTIVE:
                    case IDLE:
                    case INACTIVE:
                        toStart.add(c.identifier);
                        break;
                    default:
                        break;
                }
                for (StreamRecord s : new ArrayList<>(c.streams.values())) {
                    if (s.status == StreamRecord.Status.CREATING) {
                        long wait = Math.max(0, s.statusSince + lifecycle.streamCreateDelay().toMillis() - now());
                        String cid = c.identifier;
                        schedule(Duration.ofMillis(wait), () -> finishStreamCreate(cid, s.identifier));
                    } else if (s.status == StreamRecord.Status.DELETING && c.status != ClusterStatus.DELETING) {
                        long wait = Math.max(0, s.statusSince + lifecycle.streamDeleteDelay().toMillis() - now());
                        String cid = c.identifier;
                        schedule(Duration.ofMillis(wait), () -> finishStreamDelete(cid, s.identifier));
                    }
                }
            }
            for (String orphan : existingDatabases) {
                if (!state.clusters.containsKey(orphan)) {
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
            persist();
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (String id : toStart) {
            starts.add(lane(id, () -> {
                try {
                    fleet.provision(id);
                } catch (Exception e) {
                    LOG.error("Cluster {}: cannot start its PostgreSQL", id, e);
                }
            }));
        }
        return CompletableFuture.allOf(starts.toArray(new CompletableFuture[0]));
    }

    /** Waits until the cluster leaves CREATING; true if it is ACTIVE. */
    public synchronized boolean awaitActive(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ClusterRecord c = state.clusters.get(id);
            if (c == null || (c.status != ClusterStatus.CREATING && c.status != ClusterStatus.UPDATING)) {
                return c != null && c.status == ClusterStatus.ACTIVE;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** State that is not a cluster: the default cluster id and the first-start flag. */
    public synchronized ServiceState stateForStartup() {
        return state;
    }

    public synchronized void markInitialized(Optional<String> defaultClusterId) {
        state.initialized = true;
        defaultClusterId.ifPresent(id -> state.defaultClusterId = id);
        persist();
    }

    public synchronized Optional<String> defaultClusterId() {
        return Optional.ofNullable(state.defaultClusterId);
    }

    // ---------------------------------------------------------------- ClusterDirectory

    @Override
    public synchronized Optional<ClusterView> find(String identifier) {
        ClusterRecord c = state.clusters.get(identifier);
        if (c == null) {
            return Optional.empty();
        }
        Optional<DatabaseEndpoint> db = c.status == ClusterStatus.DELETING ? Optional.empty()
                : fleet.endpoint(identifier);
        return Optional.of(new ClusterView(c.identifier, c.accountId, c.region, c.status, db));
    }

    @Override
    public Optional<ClusterView> defaultCluster() {
        return defaultClusterId().flatMap(this::find);
    }

    // ---------------------------------------------------------------- helpers

    private ClusterRecord cluster(Caller caller, String id) {
        ClusterRecord c = state.clusters.get(id);
        if (c == null || !inScope(c, caller)) {
            throw ApiException.notFound("Cluster " + id + " not found.", id, CLUSTER);
        }
        return c;
    }

    private static StreamRecord stream(ClusterRecord c, String streamId) {
        StreamRecord s = c.streams.get(streamId);
        if (s == null) {
            throw ApiException.notFound("Stream " + streamId + " not found.", streamId, STREAM);
        }
        return s;
    }

    private static boolean inScope(ClusterRecord c, Caller caller) {
        return c.accountId.equals(caller.accountId()) && c.region.equals(caller.region());
    }

    private static void requireSettled(ClusterRecord c, String verb, ClusterStatus... allowed) {
        for (ClusterStatus s : allowed) {
            if (c.status == s) {
                return;
            }
        }
        throw ApiException.conflict("Cluster " + c.identifier + " cannot be " + verb + " while it is " + c.status
                + ".", c.identifier, CLUSTER);
    }

    private static void requireNotDeleting(ClusterRecord c) {
        if (c.status == ClusterStatus.DELETING) {
            throw ApiException.conflict("Cluster " + c.identifier + " is being deleted.", c.identifier, CLUSTER);
        }
    }

    private void setStatus(ClusterRecord c, ClusterStatus status) {
        c.status = status;
        c.statusSince = now();
    }

    private long now() {
        return clock.millis();
    }

    private void persist() {
        if (batchDepth == 0) {
            store.save(state);
        }
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

    /** Runs fleet work for one cluster after the work already queued for it (nothing once closed). */
    private CompletableFuture<Void> lane(String id, Runnable work) {
        return lanes.submit(id, () -> {
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
