package dev.dsqllocal.session;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.sql.StatementInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the gateway's session hands a policy (the DSQL dialect, optimistic concurrency): each client request and
 * each server reply, decoded and classified once by the session, in order. One instance serves one session and is
 * only called from that session's event loop, so it may keep per-session state without locks. A policy changes
 * traffic by replacing or dropping the request or reply it is given, and may write messages of its own with
 * {@link Session#toClient} / {@link Session#sendOwn}. An exception thrown here ends the session with an internal
 * error ({@code XX000}). When {@link #inspectsMessages()} is {@code false} (as for {@link #NONE}) the gateway does
 * not split traffic into messages at all and forwards it in bulk.
 */
public interface SessionPolicy {

    /** The default: no inspection, bulk forwarding. */
    SessionPolicy NONE = new SessionPolicy() {
        @Override
        public boolean inspectsMessages() {
            return false;
        }
    };

    /** Whether the session must decode every message and hand it over. */
    default boolean inspectsMessages() {
        return true;
    }

    /** A client request on its way to PostgreSQL. */
    default void onClient(Session session, ClientRequest request) {}

    /** A message from PostgreSQL on its way to the client. */
    default void onServer(Session session, ServerReply reply) {}

    /** Called once when the session ends, whatever the reason. */
    default void onClose(Session session) {}

    /**
     * {@code first}, then {@code then}: a request {@code first} replaced or dropped does not reach {@code then}
     * (it would see the policy's own statements, not the client's); a reply {@code first} replaced reaches
     * {@code then} replaced, one it dropped does not.
     */
    static SessionPolicy chain(SessionPolicy first, SessionPolicy then) {
        if (!then.inspectsMessages()) {
            return first;
        }
        if (!first.inspectsMessages()) {
            return then;
        }
        return new SessionPolicy() {
            @Override
            public void onClient(Session session, ClientRequest request) {
                first.onClient(session, request);
                if (request.forwarded()) {
                    then.onClient(session, request);
                }
            }

            @Override
            public void onServer(Session session, ServerReply reply) {
                first.onServer(session, reply);
                if (!reply.dropped()) {
                    then.onServer(session, reply);
                }
            }

            @Override
            public void onClose(Session session) {
                first.onClose(session);
                then.onClose(session);
            }
        };
    }

    /** What a policy can see of and do to its session. */
    interface Session {
        String clusterId();

        String user();

        /** Queues a message for the client (flushed with the current burst). */
        void toClient(BackendMessage message);

        /**
         * Queues a Query {@code by} sends on its own, not for a client's request (flushed with the current burst);
         * its answers reach the policies marked as {@code by}'s ({@link ServerReply#answersInjectedBy}).
         */
        void sendOwn(SessionPolicy by, FrontendMessage.Query query);

        /**
         * Queues extended-protocol messages {@code by} sends on its own (ending in a Sync), not for a client's
         * request; all their answers, ReadyForQuery included, reach the policies marked as {@code by}'s.
         */
        void sendOwn(SessionPolicy by, List<FrontendMessage> messages);

        /** The process id of the session's PostgreSQL backend (as in {@code pg_locks}); 0 before it is known. */
        int backendProcessId();

        /**
         * Sends a Query of {@code parts} that goes on with a client's simple Query the policy took apart (it sent the
         * first statements in the Query's place): a part marked {@link ClientRequest.Part#own} answers for {@code
         * by}, the others for the client's statement they name, and its ReadyForQuery is the one the client waits for.
         */
        void sendForClient(SessionPolicy by, List<ClientRequest.Part> parts);

        /** PostgreSQL still owes answers to something sent: the session is not idle. */
        boolean awaitingReplies();

        /** The client statements sent and not yet completed, in order (a Query's statements, Executes). */
        List<StatementInfo> statementsInFlight();

        /**
         * Holds the client's next messages: read, but neither handed to the policies nor sent, until {@link
         * #resumeClient}. For a policy that must see how a statement ended before the client's pipelined messages
         * run (to undo it to a savepoint, say, where PostgreSQL would otherwise skip them).
         */
        void holdClient();

        /** Hands the held messages on, in order, once the current call has returned (a policy may hold again). */
        void resumeClient();

        /**
         * Runs {@code task} on this session's event loop, from any thread, between the session's own reads (so it
         * never interleaves with a call of the policy), then flushes what it wrote with {@link #toClient} /
         * {@link #sendOwn}. Skipped once the session has ended.
         */
        void execute(Runnable task);
    }

    /** Makes the policy of each new session. */
    @FunctionalInterface
    interface Factory {
        Factory NONE = (clusterId, user) -> SessionPolicy.NONE;

        SessionPolicy create(String clusterId, String user);

        /**
         * The SQL that runs for what a client wrote, before anything is classified (the dialect hides the
         * emulator's internal names here); the text itself by default.
         */
        default String sqlToRun(String written) {
            return written;
        }

        /**
         * Looks at the client's StartupMessage parameters (everything but {@code user} and {@code database})
         * after authentication, before PostgreSQL is connected; a refusal is answered as a FATAL ErrorResponse
         * and the connection closed. Accepts everything by default.
         */
        default Optional<StartupRefusal> checkStartup(Map<String, String> parameters) {
            return Optional.empty();
        }
    }

    /** Why a StartupMessage is refused: the fields of the FATAL ErrorResponse ({@code hint} may be null). */
    record StartupRefusal(String sqlState, String message, String hint) {}
}
