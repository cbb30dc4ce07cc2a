package dev.dsqllocal.samples.guestlist;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a unit of work in a transaction and runs it again when DSQL's optimistic concurrency control rejects it.
 *
 * <p>Aurora DSQL takes no locks: two transactions that write the same row both run, and the one that commits second
 * fails with SQLSTATE 40001 (DSQL's codes OC000 and OC001 say the same). The only correct reaction is to run the
 * whole transaction again, reading fresh data, so the work must be safe to repeat (no side effects outside the
 * database). Waits grow exponentially with full jitter, so competing clients do not collide again in lock step.
 */
public final class OccRetry {
    /** Serialization failures: PostgreSQL's 40001, and DSQL's OC000 (data conflict) and OC001 (schema changed). */
    private static final Set<String> RETRYABLE = Set.of("40001", "OC000", "OC001");

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Listener listener;

    /** Told about each conflict before the next attempt (log it, count it). */
    @FunctionalInterface
    public interface Listener {
        void retrying(int failedAttempt, SQLException conflict);
    }

    /** The work of one transaction; it gets the connection and must not commit or roll back itself. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    public OccRetry(int maxAttempts, Duration baseDelay, Duration maxDelay, Listener listener) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.listener = listener;
    }

    /** Five attempts, waits from 10 ms up to 1 s. */
    public static OccRetry defaults() {
        return new OccRetry(5, Duration.ofMillis(10), Duration.ofSeconds(1), (attempt, conflict) -> {});
    }

    public OccRetry withListener(Listener listener) {
        return new OccRetry(maxAttempts, baseDelay, maxDelay, listener);
    }

    /** Whether {@code e} (or an exception it wraps) is an optimistic-concurrency conflict worth a new attempt. */
    public static boolean isConflict(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException && RETRYABLE.contains(((SQLException) t).getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code work} in a transaction on a new connection from {@code connections} and commits it; on a conflict
     * rolls back, waits, and runs it again, up to the attempt limit (then the last conflict is thrown).
     */
    public <T> T inTransaction(ConnectionFactory connections, Work<T> work) throws SQLException {
        try (Connection connection = connections.open()) {
            connection.setAutoCommit(false);
            for (int attempt = 1; ; attempt++) {
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException e) {
                    rollbackQuietly(connection, e);
                    if (!isConflict(e) || attempt >= maxAttempts) {
                        throw e;
                    }
                    listener.retrying(attempt, e);
                    sleep(attempt);
                } catch (RuntimeException e) {
                    rollbackQuietly(connection, e);
                    throw e;
                }
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void sleep(int failedAttempt) throws SQLException {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(failedAttempt - 1, 20));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to retry a transaction", e);
        }
    }
}
