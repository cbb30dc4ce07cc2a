package dev.dsqllocal.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Per-cluster connection limits of DSQL (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html):
 * open connections (53300 beyond) and the rate of new connections as a token bucket (53400 when empty). A limit of 0 means unlimited.
 */
final class ClusterQuotas {
    private final int maxConnections;
    private final double ratePerNano;
    private final int burst;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<String, Quota> byCluster = new ConcurrentHashMap<>();

    ClusterQuotas(int maxConnections, int ratePerSecond, int burst, LongSupplier nanoClock) {
        this.maxConnections = maxConnections;
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** A granted connection slot; {@link #release()} it exactly once when the connection ends. */
    interface Lease {
        void release();
    }

    /** Takes a rate token and a connection slot, or answers the error DSQL gives. */
    Object tryOpen(String clusterId) {
        Quota quota = byCluster.computeIfAbsent(clusterId, id -> new Quota(burst, nanoClock.getAsLong()));
        synchronized (quota) {
            if (ratePerNano > 0) {
                long now = nanoClock.getAsLong();
                quota.tokens = Math.min(burst, quota.tokens + (now - quota.refilledAt) * ratePerNano);
                quota.refilledAt = now;
                if (quota.tokens < 1) {
                    return GatewayError.rateExceeded();
                }
                quota.tokens -= 1;
            }
            if (maxConnections > 0 && quota.open >= maxConnections) {
                return GatewayError.tooManyConnections();
            }
            quota.open++;
        }
        return new Lease() {
            private boolean released;

            @Override
            public void release() {
                synchronized (quota) {
                    if (!released) {
                        released = true;
                        quota.open--;
                    }
                }
            }
        };
    }

    int openConnections(String clusterId) {
        Quota quota = byCluster.get(clusterId);
        if (quota == null) {
            return 0;
        }
        synchronized (quota) {
            return quota.open;
        }
    }

    private static final class Quota {
        double tokens;
        long refilledAt;
        int open;

        Quota(int burst, long now) {
            this.tokens = burst;
            this.refilledAt = now;
        }
    }
}
