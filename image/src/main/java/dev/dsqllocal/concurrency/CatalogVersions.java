package dev.dsqllocal.concurrency;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-cluster catalog version, bumped whenever a session commits DDL (GRANT/REVOKE included). A transaction that
 * started at an older version gets DSQL's OC001 on its next statement or at COMMIT. Also holds the live sessions
 * of each cluster ({@link ClusterSessions}), whose open transactions a session's DDL ends.
 */
public final class CatalogVersions {
    private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
    private final ClusterSessions sessions = new ClusterSessions();

    ClusterSessions sessions() {
        return sessions;
    }

    public long current(String clusterId) {
        AtomicLong v = versions.get(clusterId);
        return v == null ? 0 : v.get();
    }

    /** Records a committed catalog change; returns the new version. */
    public long bump(String clusterId) {
        return versions.computeIfAbsent(clusterId, k -> new AtomicLong()).incrementAndGet();
    }
}
