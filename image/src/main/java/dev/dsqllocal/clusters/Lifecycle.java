package dev.dsqllocal.clusters;

import java.time.Duration;

/** The delays of the asynchronous transitions and the quotas, as configured. */
public record Lifecycle(
        Duration createDelay,
        Duration updateDelay,
        Duration deleteDelay,
        Duration streamCreateDelay,
        Duration streamDeleteDelay,
        int maxClusters,
        int maxMultiRegionClusters,
        int maxStreams) {}
