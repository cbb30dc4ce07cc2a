package dev.dsqllocal.clusters;

import dev.dsqllocal.clusters.ClusterException.Conflict;
import dev.dsqllocal.clusters.ClusterException.NotFound;
import dev.dsqllocal.clusters.ClusterException.Resource;
import java.util.Optional;

/**
 * Resource policies of clusters, stored (not enforced) with a version that counts up on every put, also after a
 * delete; an expected version makes a put or delete conditional. The document's syntax is checked by the API.
 */
public final class ClusterPolicies {
    private final ClusterState state;

    ClusterPolicies(ClusterState state) {
        this.state = state;
    }

    /** Attaches {@code policy}; returns its version. */
    public long putPolicy(Caller caller, String id, String policy, Optional<String> expectedVersion) {
        synchronized (state) {
            Cluster c = ClusterService.cluster(state, caller, id);
            ClusterService.requireNotDeleting(c);
            checkVersion(c, expectedVersion);
            c = c.withPolicy(policy);
            state.put(c);
            state.persist();
            return c.policyVersion();
        }
    }

    /** The cluster, which has a policy attached. */
    public Cluster getPolicy(Caller caller, String id) {
        synchronized (state) {
            Cluster c = ClusterService.cluster(state, caller, id);
            if (c.policy() == null) {
                throw noPolicy(id);
            }
            return c;
        }
    }

    /** Detaches the policy; returns the version it had. */
    public long deletePolicy(Caller caller, String id, Optional<String> expectedVersion) {
        synchronized (state) {
            Cluster c = ClusterService.cluster(state, caller, id);
            ClusterService.requireNotDeleting(c);
            if (c.policy() == null) {
                throw noPolicy(id);
            }
            checkVersion(c, expectedVersion);
            state.put(c.withoutPolicy());
            state.persist();
            return c.policyVersion();
        }
    }

    private static NotFound noPolicy(String id) {
        return new NotFound("No resource policy is attached to cluster " + id + ".", id, Resource.CLUSTER);
    }

    private static void checkVersion(Cluster c, Optional<String> expected) {
        if (expected.isPresent()) {
            String current = c.policy() == null ? "" : Long.toString(c.policyVersion());
            if (!expected.get().equals(current)) {
                throw new Conflict(
                        "The expected policy version " + expected.get()
                                + " does not match the current policy version"
                                + (c.policy() == null ? " (no policy attached)." : " " + current + "."),
                        c.identifier(),
                        Resource.CLUSTER);
            }
        }
    }
}
