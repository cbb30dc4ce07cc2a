package dev.dsqllocal.clusters;

import java.io.IOException;

/**
 * The port through which the domain starts and stops capturing a CDC stream's changes (logical decoding and
 * delivery live outside the domain). Called on the cluster's lane, after its database is provisioned, so a capture
 * never races the cluster's own start or deletion.
 */
public interface ChangeCapture extends AutoCloseable {

    /**
     * Starts capturing {@code stream}: from the first call on, every change committed on the cluster is kept until
     * delivered (the position is durable with the database). Idempotent; called again after a restart.
     */
    void start(ClusterStreams.Capturing stream) throws IOException;

    /**
     * Stops delivery of the stream; {@code discard} also forgets its position and undelivered changes. {@code
     * database} is the database the stream's cluster serves ({@link Cluster#database()}; a peer's, when peered).
     */
    void stop(String database, String streamId, boolean discard);

    /** Stops every capture, keeping their positions (the emulator shuts down). */
    @Override
    void close();

    /** Captures nothing (streams are metadata only). */
    ChangeCapture NONE = new ChangeCapture() {
        @Override
        public void start(ClusterStreams.Capturing stream) {}

        @Override
        public void stop(String database, String streamId, boolean discard) {}

        @Override
        public void close() {}
    };
}
