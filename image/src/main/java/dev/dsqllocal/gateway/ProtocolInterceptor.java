package dev.dsqllocal.gateway;

import io.netty.buffer.ByteBuf;

/**
 * The seam where the DSQL dialect (and anything else that must look at SQL traffic) hooks into a proxied
 * session. One instance serves one session and is only ever called from that session's event loop, so it may
 * keep per-session state without locks.
 *
 * <p>Messages are whole PostgreSQL v3 messages, type byte and length included ({@code buf.getByte(readerIndex)}
 * is the type, the next int32 the length), as retained slices of the network buffer. A method either
 * <ul>
 *   <li>returns {@code message} to pass it on unchanged (the default; no copy, no allocation),</li>
 *   <li>returns another buffer to send instead (then it must release {@code message}),</li>
 *   <li>returns {@code null} to drop it (then it must release {@code message}); to answer the client itself it
 *       writes to {@link Session#toClient} (e.g. an ErrorResponse and a ReadyForQuery), or to
 *       {@link Session#toServer} to inject requests of its own.</li>
 * </ul>
 * A released message must not be touched again, not even for {@code alloc()} (pooled slices are recycled): take
 * what you need first. An exception thrown here ends the session with an internal error ({@code XX000}).
 * Writes are flushed when the current read burst ends. When {@link #inspectsMessages()} is {@code false} (as for
 * {@link #PASS_THROUGH}) the gateway does not split bursts into messages at all and forwards them in bulk; it
 * still checks message lengths.
 */
public interface ProtocolInterceptor {

    /** The default: no inspection, bulk forwarding. */
    ProtocolInterceptor PASS_THROUGH = new ProtocolInterceptor() {
        @Override
        public boolean inspectsMessages() {
            return false;
        }
    };

    /** Whether the gateway must hand over every message one by one. */
    default boolean inspectsMessages() {
        return true;
    }

    /** A message from the client on its way to PostgreSQL. */
    default ByteBuf onClientMessage(Session session, ByteBuf message) {
        return message;
    }

    /** A message from PostgreSQL on its way to the client. */
    default ByteBuf onServerMessage(Session session, ByteBuf message) {
        return message;
    }

    /** Called once when the session ends, whatever the reason. */
    default void onClose(Session session) {
    }

    /** What an interceptor can see of and do to its session. */
    interface Session {
        String clusterId();

        String user();

        /** Queues a message for the client (flushed with the current burst). Takes ownership of {@code message}. */
        void toClient(ByteBuf message);

        /** Queues a message for PostgreSQL (flushed with the current burst). Takes ownership of {@code message}. */
        void toServer(ByteBuf message);

        /**
         * Runs {@code task} on this session's event loop, from any thread, between the session's own reads (so it
         * never interleaves with a call of the interceptor), then flushes what it wrote with {@link #toClient} /
         * {@link #toServer}. Skipped once the session has ended.
         */
        void execute(Runnable task);
    }

    /** Makes the interceptor of each new session. */
    @FunctionalInterface
    interface Factory {
        Factory PASS_THROUGH = (clusterId, user) -> ProtocolInterceptor.PASS_THROUGH;

        ProtocolInterceptor create(String clusterId, String user);

        /**
         * Looks at the client's StartupMessage parameters (everything but {@code user} and {@code database})
         * after authentication, before PostgreSQL is connected; a refusal is answered as a FATAL ErrorResponse
         * and the connection closed. Accepts everything by default.
         */
        default java.util.Optional<StartupRefusal> checkStartup(java.util.Map<String, String> parameters) {
            return java.util.Optional.empty();
        }
    }

    /** Why a StartupMessage is refused: the fields of the FATAL ErrorResponse ({@code hint} may be null). */
    record StartupRefusal(String sqlState, String message, String hint) {
    }
}
