package com.example.shop;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Runs a unit of work again when Aurora DSQL aborts it with SQLSTATE 40001: {@code OC000} (a concurrent transaction
 * changed the same rows) or {@code OC001} (the schema changed since this session last looked, e.g. after a
 * migration). DSQL takes no row locks and resolves conflicts at commit, so the client retries the whole transaction
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html). The work must be
 * the whole transaction, started afresh on each attempt, never a statement inside one: after 40001 the transaction
 * is gone.
 */
public final class OccRetry {

    /** SQLSTATE serialization_failure, which DSQL uses for both OC000 and OC001. */
    public static final String SERIALIZATION_FAILURE = "40001";

    private final int maxAttempts;
    private final long firstBackoffMillis;

    public OccRetry(int maxAttempts, long firstBackoffMillis) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.firstBackoffMillis = firstBackoffMillis;
    }

    /**
     * Runs {@code work}, and again after a short, growing pause while it fails with 40001, at most
     * {@code maxAttempts} times in all; any other failure, and the last 40001, reach the caller unchanged.
     */
    public <T> T run(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt >= maxAttempts || !isSerializationFailure(e)) {
                    throw e;
                }
                pause(firstBackoffMillis << (attempt - 1));
            }
        }
    }

    /**
     * Whether a 40001 is anywhere in the cause chain: Spring, Hibernate and the pool wrap the driver's
     * {@link SQLException} in their own exceptions, and which wrapper appears depends on where it failed (a statement,
     * the flush, the commit).
     */
    public static boolean isSerializationFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && SERIALIZATION_FAILURE.equals(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
