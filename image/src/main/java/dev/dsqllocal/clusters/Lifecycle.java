package dev.dsqllocal.clusters;

import java.time.Duration;

/** The delays of the asynchronous transitions and the quotas, as configured. */
public record Lifecycle(Duration createDelay, Duration updateDelay, Duration deleteDelay, Duration streamCreateDelay,
        Duration streamDeleteDelay, int maxClusters, int maxMultiRegionClusters, int maxStreams) {

    /** No delays and the AWS default quotas (for tests). */
    public static Lifecycle immediate() {
        return new Lifecycle(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 20, 5, 5);
    }
}
