package dev.dsqllocal.concurrency;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live sessions of each cluster, so that one session's DDL can reach the transactions other sessions hold open
 * ({@link ConcurrencyPolicy#doomIfIdle}). Sessions live on different event loops: this is the only state they
 * share, and nothing here touches a session's own state.
 */
final class ClusterSessions {
    private final Map<String, Set<ConcurrencyPolicy>> byCluster = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> commits = new ConcurrentHashMap<>();

    /**
     * The cluster's count of committed writing transactions (autocommit writes included): a transaction that saw a
     * lower count at its start may write rows committed after its snapshot.
     */
    AtomicLong commits(String clusterId) {
        return commits.computeIfAbsent(clusterId, k -> new AtomicLong());
    }

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
