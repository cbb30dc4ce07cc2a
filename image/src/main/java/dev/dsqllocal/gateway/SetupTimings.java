package dev.dsqllocal.gateway;

import java.util.Arrays;

/**
 * The last connection setups as the gateway saw them, for benchmarks and diagnostics: how long from accept to
 * a verified token (TLS handshake, startup, token check, including the client's own turn-around), and how long
 * the backend took to start its session after that.
 */
public final class SetupTimings {
    private static final int SIZE = 1024;
    private final long[] login = new long[SIZE];
    private final long[] backend = new long[SIZE];
    private long count;

    synchronized void record(long loginNanos, long backendNanos) {
        int slot = (int) (count++ % SIZE);
        login[slot] = loginNanos;
        backend[slot] = backendNanos;
    }

    /** Median of the recorded accept-to-authenticated times, in nanoseconds (0 when none). */
    public synchronized long medianLoginNanos() {
        return median(login);
    }

    /** Median of the recorded backend session start times, in nanoseconds (0 when none). */
    public synchronized long medianBackendNanos() {
        return median(backend);
    }

    public synchronized void reset() {
        count = 0;
    }

    private long median(long[] values) {
        int n = (int) Math.min(count, SIZE);
        if (n == 0) {
            return 0;
        }
        long[] copy = Arrays.copyOf(values, n);
        Arrays.sort(copy);
        return copy[n / 2];
    }
}
