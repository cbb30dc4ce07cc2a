package dev.dsqllocal.faults;

import dev.dsqllocal.clusters.ClusterStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faults a test asked the emulator to inject, per cluster: failed commits (OC000/OC001), refused connections for a
 * while, a status reported by the control plane for a while. Each injection is used up (count reaches zero) or
 * expires, and is then forgotten; nothing here changes a cluster's real state. Thread-safe: the API writes, the
 * gateway's event loops read and consume.
 */
public final class FaultRegistry {

    /** OCC codes a commit injection may carry, with DSQL's exact message text. */
    public enum ConflictCode {
        OC000("change conflicts with another transaction (OC000)"),
        OC001("schema has been updated by another transaction (OC001)");

        private final String message;

        ConflictCode(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    /** One injected fault. */
    public sealed interface Fault permits CommitConflict, ConnectionFailure, StatusOverride {
        String type();
    }

    /**
     * The next {@code remaining} commits (optionally only those whose transaction wrote {@code table}, a
     * lower-case {@code schema.name}) fail with {@code code}.
     */
    public static final class CommitConflict implements Fault {
        private final ConflictCode code;
        private final String table;
        private int remaining;

        public CommitConflict(ConflictCode code, int count, String table) {
            this.code = code;
            this.remaining = count;
            this.table = table;
        }

        @Override
        public String type() {
            return "commit-conflict";
        }

        public ConflictCode code() {
            return code;
        }

        public Optional<String> table() {
            return Optional.ofNullable(table);
        }

        public synchronized int remaining() {
            return remaining;
        }

        synchronized boolean consume() {
            if (remaining <= 0) {
                return false;
            }
            remaining--;
            return true;
        }
    }

    /** New connections to the cluster are refused until {@code until}. */
    public record ConnectionFailure(Instant until) implements Fault {
        @Override
        public String type() {
            return "connection-failure";
        }
    }

    /** The control plane reports {@code status} for the cluster until {@code until}. */
    public record StatusOverride(ClusterStatus status, Instant until) implements Fault {
        @Override
        public String type() {
            return "status";
        }
    }

    private final Clock clock;
    private final Map<String, List<Fault>> faults = new ConcurrentHashMap<>();

    public FaultRegistry(Clock clock) {
        this.clock = clock;
    }

    public void add(String clusterId, Fault fault) {
        synchronized (this) {
            faults.computeIfAbsent(clusterId, k -> new ArrayList<>()).add(fault);
        }
    }

    /** The cluster's injections still in force (used-up and expired ones are dropped). */
    public synchronized List<Fault> active(String clusterId) {
        List<Fault> list = faults.get(clusterId);
        if (list == null) {
            return List.of();
        }
        Instant now = clock.instant();
        list.removeIf(f -> spent(f, now));
        return List.copyOf(list);
    }

    public synchronized void clear(String clusterId) {
        faults.remove(clusterId);
    }

    /**
     * Uses up one commit injection matching a transaction that wrote {@code writtenTables} (lower-case
     * {@code schema.name} or bare names), if any: the code the commit must fail with.
     */
    public synchronized Optional<ConflictCode> takeCommitConflict(String clusterId, Collection<String> writtenTables) {
        List<Fault> list = faults.get(clusterId);
        if (list == null) {
            return Optional.empty();
        }
        for (Iterator<Fault> it = list.iterator(); it.hasNext(); ) {
            if (it.next() instanceof CommitConflict c && matches(c, writtenTables) && c.consume()) {
                if (c.remaining() == 0) {
                    it.remove();
                }
                return Optional.of(c.code());
            }
        }
        return Optional.empty();
    }

    private static boolean matches(CommitConflict c, Collection<String> writtenTables) {
        if (c.table == null) {
            return true;
        }
        for (String t : writtenTables) {
            String written = t.toLowerCase(Locale.ROOT);
            if (written.equals(c.table) || ("public." + written).equals(c.table)) {
                return true;
            }
        }
        return false;
    }

    /** Whether new connections to the cluster must be refused now. */
    public boolean refusesConnections(String clusterId) {
        return active(clusterId).stream().anyMatch(f -> f instanceof ConnectionFailure);
    }

    /** The status the control plane reports: an override in force, or the real one. */
    public ClusterStatus reportedStatus(String clusterId, ClusterStatus real) {
        List<Fault> list = active(clusterId);
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i) instanceof StatusOverride s) {
                return s.status();
            }
        }
        return real;
    }

    private static boolean spent(Fault f, Instant now) {
        if (f instanceof CommitConflict c) {
            return c.remaining() <= 0;
        }
        if (f instanceof ConnectionFailure c) {
            return !now.isBefore(c.until());
        }
        return f instanceof StatusOverride s && s.until() != null && !now.isBefore(s.until());
    }
}
