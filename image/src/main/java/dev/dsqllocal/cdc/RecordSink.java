package dev.dsqllocal.cdc;

import dev.dsqllocal.clusters.ClusterStreams;
import java.util.List;

/** Where a stream's change records go: its Kinesis stream, or the emulator's memory when there is no Kinesis. */
public interface RecordSink {

    /** Delivers the records (each one Kinesis record) or throws; returns only once all are acknowledged. */
    void deliver(ClusterStreams.Capturing stream, List<byte[]> records) throws DeliveryException;

    /** The stream starts capturing (before any delivery). */
    default void open(ClusterStreams.Capturing stream) {}

    /** The stream is gone: whatever the sink keeps for it can go too. */
    default void forget(String streamId) {}

    /** Delivery did not complete; {@code targetMissing} when the target stream does not exist (not retried). */
    final class DeliveryException extends Exception {
        private final boolean targetMissing;

        public DeliveryException(String message, boolean targetMissing, Throwable cause) {
            super(message, cause);
            this.targetMissing = targetMissing;
        }

        public boolean targetMissing() {
            return targetMissing;
        }
    }
}
