package com.example.inventory;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs transactions on a pool and runs them again when Aurora DSQL aborts them with SQLSTATE 40001: {@code OC000}
 * (a concurrent transaction changed the same rows) or {@code OC001} (the schema changed since this session last
 * looked). DSQL takes no row locks and asks the client to retry the whole transaction
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html).
 *
 * <p>OC001 is what every pooled application meets: after a DDL commits, each connection that was already open fails
 * its next statement once. The retry borrows a connection again and repeats the work, which then succeeds.
 */
public final class OccTransactions {

    /** SQLSTATE serialization_failure, which DSQL uses for both OC000 and OC001. */
    public static final String SERIALIZATION_FAILURE = "40001";

    private final DataSource pool;
    private final int maxAttempts;

    public OccTransactions(DataSource pool, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.pool = pool;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Runs {@code work} in one transaction and commits it; on 40001 rolls back and starts over with a connection from
     * the pool, at most {@code maxAttempts} times in all. Any other failure, and the last 40001, reach the caller.
     */
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException e) {
                    c.rollback();
                    if (attempt >= maxAttempts || !SERIALIZATION_FAILURE.equals(e.getSQLState())) {
                        throw e;
                    }
                } finally {
                    // The pool would reset it too; said here so that the next borrower's autocommit is not a surprise.
                    c.setAutoCommit(true);
                }
            }
            pause(attempt);
        }
    }

    private static void pause(int attempt) throws SQLException {
        try {
            Thread.sleep(10L << Math.min(attempt, 6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting to retry", e);
        }
    }
}
