package dev.dsqllocal.concurrency;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sessions of each cluster, so that one session's DDL can reach the transactions other sessions hold open
 * ({@link ConcurrencyPolicy#doomIfIdle}). Sessions live on different event loops: this is the only state they
 * share, and nothing here touches a session's own state.
 */
final class ClusterSessions {
    private final Map<String, Set<ConcurrencyPolicy>> byCluster = new ConcurrentHashMap<>();

    void add(String clusterId, ConcurrencyPolicy session) {
        byCluster.compute(clusterId, (k, set) -> {
            Set<ConcurrencyPolicy> live = set == null ? ConcurrentHashMap.newKeySet() : set;
            live.add(session);
            return live;
        });
    }

    void remove(String clusterId, ConcurrencyPolicy session) {
        byCluster.computeIfPresent(clusterId, (k, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
        });
    }

    List<ConcurrencyPolicy> of(String clusterId) {
        Set<ConcurrencyPolicy> live = byCluster.get(clusterId);
        return live == null ? List.of() : List.copyOf(live);
    }
}
