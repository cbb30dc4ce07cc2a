package dev.dsqllocal.clusters;

import dev.dsqllocal.clusters.ClusterException.Conflict;
import dev.dsqllocal.clusters.ClusterException.InvalidInput;
import dev.dsqllocal.clusters.ClusterException.NotFound;
import dev.dsqllocal.clusters.ClusterException.Quota;
import dev.dsqllocal.clusters.ClusterException.QuotaExceeded;
import dev.dsqllocal.clusters.ClusterException.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The CDC streams of clusters: metadata and lifecycle (CREATING → ACTIVE, DELETING → gone, driven by the
 * {@link ClusterScheduler}; FAILED when delivery reports a target that cannot recover). Capturing and delivering
 * the change records is not the domain's job: it asks {@link #capturing()} which streams should capture.
 */
public final class ClusterStreams {

    /** What CreateStream asks for. */
    public record StreamSpec(
            String kinesisStreamArn, String roleArn, String ordering, String format, Map<String, String> tags) {}

    private final ClusterState state;
    private final ClusterScheduler scheduler;
    private final Lifecycle lifecycle;

    ClusterStreams(ClusterState state, ClusterScheduler scheduler, Lifecycle lifecycle) {
        this.state = state;
        this.scheduler = scheduler;
        this.lifecycle = lifecycle;
    }

    public ClusterStream createStream(Caller caller, String clusterId, StreamSpec spec) {
        synchronized (state) {
            Cluster c = ClusterService.cluster(state, caller, clusterId);
            if (c.status() != ClusterStatus.ACTIVE) {
                throw InvalidInput.other("Cluster " + clusterId + " is " + c.status()
                        + "; streams can only be created on an ACTIVE cluster.");
            }
            Arns.ForeignArn kinesis = Arns.parseKinesisStream(spec.kinesisStreamArn())
                    .orElseThrow(() ->
                            InvalidInput.field("targetDefinition.kinesis.streamArn", "Invalid Kinesis stream ARN."));
            if (!kinesis.accountId().equals(c.accountId()) || !kinesis.region().equals(c.region())) {
                throw InvalidInput.field(
                        "targetDefinition.kinesis.streamArn",
                        "The Kinesis stream must be in the same account and Region as the cluster.");
            }
            Arns.ForeignArn role = Arns.parseRole(spec.roleArn())
                    .orElseThrow(() -> InvalidInput.field("targetDefinition.kinesis.roleArn", "Invalid IAM role ARN."));
            if (!role.accountId().equals(c.accountId())) {
                throw InvalidInput.field(
                        "targetDefinition.kinesis.roleArn", "The IAM role must be in the same account as the cluster.");
            }
            long live = c.streams().values().stream()
                    .filter(s -> s.status() != StreamStatus.DELETING)
                    .count();
            if (live >= lifecycle.maxStreams()) {
                throw new QuotaExceeded(
                        "You have reached the stream limit.", clusterId, Resource.STREAM, Quota.STREAMS_PER_CLUSTER);
            }
            long now = scheduler.now();
            ClusterStream s = new ClusterStream(
                    ClusterIds.newId(),
                    StreamStatus.CREATING,
                    now,
                    now,
                    spec.ordering(),
                    spec.format(),
                    spec.kinesisStreamArn(),
                    spec.roleArn(),
                    spec.tags(),
                    null);
            state.put(c.withStream(s));
            state.persist();
            scheduler.startStreamCreate(clusterId, s.identifier(), now);
            return s;
        }
    }

    public ClusterStream getStream(Caller caller, String clusterId, String streamId) {
        synchronized (state) {
            return stream(ClusterService.cluster(state, caller, clusterId), streamId);
        }
    }

    public ClusterStream deleteStream(Caller caller, String clusterId, String streamId) {
        synchronized (state) {
            Cluster c = ClusterService.cluster(state, caller, clusterId);
            ClusterStream s = stream(c, streamId);
            if (s.status() == StreamStatus.DELETING) {
                return s;
            }
            if (s.status() == StreamStatus.CREATING) {
                throw new Conflict(
                        "Stream " + streamId + " is CREATING; wait until it is ACTIVE.", streamId, Resource.STREAM);
            }
            s = s.withStatus(StreamStatus.DELETING, scheduler.now());
            state.put(c.withStream(s));
            state.persist();
            scheduler.startStreamDelete(clusterId, streamId, s.statusSince());
            return s;
        }
    }

    /** The cluster's streams after identifier {@code after} ("" for the first page), in identifier order. */
    public Page<ClusterStream> listStreams(Caller caller, String clusterId, int maxResults, String after) {
        synchronized (state) {
            Cluster c = ClusterService.cluster(state, caller, clusterId);
            List<ClusterStream> all = new ArrayList<>(c.streams().values().stream()
                    .filter(s -> s.identifier().compareTo(after) > 0)
                    .sorted(Comparator.comparing(ClusterStream::identifier))
                    .toList());
            return new Page<>(all.subList(0, Math.min(maxResults, all.size())), all.size() > maxResults);
        }
    }

    /** A stream that should capture its cluster's changes: where and for whom. */
    public record Capturing(
            String clusterId,
            String database,
            String accountId,
            String region,
            String streamId,
            String kinesisStreamArn) {}

    /**
     * Every stream whose changes are captured now: CREATING (changes committed from CreateStream on are kept),
     * ACTIVE and IMPAIRED streams of clusters that are not being deleted.
     */
    public List<Capturing> capturing() {
        synchronized (state) {
            List<Capturing> out = new ArrayList<>();
            for (Cluster c : state.all()) {
                if (c.status() == ClusterStatus.DELETING || c.status() == ClusterStatus.FAILED) {
                    continue;
                }
                for (ClusterStream s : c.streams().values()) {
                    if (s.status() == StreamStatus.CREATING
                            || s.status() == StreamStatus.ACTIVE
                            || s.status() == StreamStatus.IMPAIRED) {
                        out.add(new Capturing(
                                c.identifier(),
                                c.database(),
                                c.accountId(),
                                c.region(),
                                s.identifier(),
                                s.kinesisStreamArn()));
                    }
                }
            }
            return out;
        }
    }

    /**
     * Sends a stream to FAILED with {@code reason} (a StreamFailureErrorCode), as delivery does for a cause AWS
     * documents as unrecoverable (the target Kinesis stream does not exist). A stream being deleted stays so.
     */
    public void fail(String clusterId, String streamId, String reason) {
        synchronized (state) {
            state.get(clusterId).ifPresent(c -> {
                ClusterStream s = c.streams().get(streamId);
                if (s == null || s.status() == StreamStatus.DELETING || s.status() == StreamStatus.FAILED) {
                    return;
                }
                state.put(c.withStream(s.failed(reason, scheduler.now())));
                state.persist();
                state.notifyAll();
            });
        }
    }

    private static ClusterStream stream(Cluster c, String streamId) {
        ClusterStream s = c.streams().get(streamId);
        if (s == null) {
            throw new NotFound("Stream " + streamId + " not found.", streamId, Resource.STREAM);
        }
        return s;
    }
}
