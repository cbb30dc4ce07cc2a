package dev.dsqllocal.clusters;

import dev.dsqllocal.clusters.ClusterException.AccessDenied;
import dev.dsqllocal.clusters.ClusterException.InvalidInput;
import dev.dsqllocal.clusters.ClusterException.NotFound;
import dev.dsqllocal.clusters.ClusterException.Quota;
import dev.dsqllocal.clusters.ClusterException.QuotaExceeded;
import dev.dsqllocal.clusters.ClusterException.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tags of clusters and streams, addressed by ARN; at most 200 per resource. */
public final class ResourceTags {
    private static final int MAX_TAGS = 200;

    private final ClusterState state;

    ResourceTags(ClusterState state) {
        this.state = state;
    }

    public void tagResource(Caller caller, String arn, Map<String, String> tags) {
        synchronized (state) {
            Tagged target = resolve(caller, arn, "TagResource");
            Map<String, String> next = new LinkedHashMap<>(target.tags());
            next.putAll(tags);
            if (next.size() > MAX_TAGS) {
                throw new QuotaExceeded(
                        "You have reached the tag limit: a resource can have at most 200 tags.",
                        arn,
                        Resource.TAG,
                        Quota.TAGS_PER_RESOURCE);
            }
            state.put(target.with(next));
            state.persist();
        }
    }

    public void untagResource(Caller caller, String arn, List<String> keys) {
        synchronized (state) {
            Tagged target = resolve(caller, arn, "UntagResource");
            Map<String, String> next = new LinkedHashMap<>(target.tags());
            keys.forEach(next::remove);
            state.put(target.with(next));
            state.persist();
        }
    }

    public Map<String, String> listTags(Caller caller, String arn) {
        synchronized (state) {
            return resolve(caller, arn, "ListTagsForResource").tags();
        }
    }

    /** A cluster, or one of its streams when {@code streamId} is set. */
    private record Tagged(Cluster cluster, String streamId) {
        Map<String, String> tags() {
            return streamId == null
                    ? cluster.tags()
                    : cluster.streams().get(streamId).tags();
        }

        Cluster with(Map<String, String> tags) {
            return streamId == null
                    ? cluster.withTags(tags)
                    : cluster.withStream(cluster.streams().get(streamId).withTags(tags));
        }
    }

    private Tagged resolve(Caller caller, String arn, String action) {
        Arns.DsqlArn parsed = Arns.parseDsql(arn)
                .orElseThrow(() -> InvalidInput.field(
                        "resourceArn",
                        "Invalid resource ARN: " + arn + " is not an Aurora DSQL cluster or stream ARN."));
        if (!parsed.accountId().equals(caller.accountId())) {
            throw new AccessDenied("User: " + caller.principalArn() + " is not authorized to perform: dsql:" + action
                    + " on resource: " + arn);
        }
        Resource type = parsed.streamId() == null ? Resource.CLUSTER : Resource.STREAM;
        Cluster c = state.get(parsed.clusterId()).orElse(null);
        if (c == null
                || !c.isIn(caller)
                || !parsed.region().equals(caller.region())
                || !parsed.partition().equals(Arns.partition(c.region()))
                || (parsed.streamId() != null && !c.streams().containsKey(parsed.streamId()))) {
            throw new NotFound("Resource " + arn + " not found.", arn, type);
        }
        return new Tagged(c, parsed.streamId());
    }
}
