package dev.dsqllocal.session;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.sql.SqlLexer;
import dev.dsqllocal.sql.StatementInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The session's one queue of the answers PostgreSQL owes, in the order it gives them: which backend reply answers
 * which client statement, and which replies answer statements a policy added itself. The session tells it what it
 * sends ({@link #sent}, {@link #sentOwn}) and gives it each reply before the policies see it ({@link #track}), so
 * every {@link ServerReply} already says what it answers. It follows the protocol's own bookkeeping
 * (https://www.postgresql.org/docs/16/protocol-flow.html): one completion per statement of a Query or per Execute,
 * ParseComplete/BindComplete/CloseComplete per Parse/Bind/Close, ReadyForQuery ending a Query or a Sync, and after
 * an ErrorResponse nothing more until that ReadyForQuery. One per session, used from its event loop only.
 */
public final class ReplyTracker {

    /** What a message sent to PostgreSQL is answered with. */
    enum Kind {
        PARSE,
        BIND,
        CLOSE,
        /** A statement of a Query, or an Execute: CommandComplete, EmptyQueryResponse or PortalSuspended. */
        STATEMENT,
        /** The end of a Query or a Sync group: ReadyForQuery. */
        END
    }

    /**
     * One answer PostgreSQL owes. {@code answers}: the client's statement it stands for (null when none);
     * {@code addedBy}: the policy whose own statement it is (null when it is the client's or stands in for it);
     * {@code injected}: sent by a policy on its own, not in place of a client's request.
     */
    record Step(Kind kind, StatementInfo answers, SessionPolicy addedBy, boolean injected) {}

    /** The client's end of a Query or Sync group. */
    private static final Step END = new Step(Kind.END, null, null, false);

    private final Deque<Step> steps = new ArrayDeque<>();

    /** Records what the session sends PostgreSQL for a request its policies have decided. */
    public void sent(ClientRequest request) {
        if (request.forwarded()) {
            forwarded(request.type(), request.statements());
            return;
        }
        for (ClientRequest.Sent sent : request.sent()) {
            replaced(sent);
        }
    }

    /** Records a Query a policy sends on its own, not in place of a client's request. */
    public void sentOwn(SessionPolicy by, FrontendMessage.Query query) {
        for (int i = 0, n = SqlLexer.split(query.sql()).size(); i < n; i++) {
            steps.add(new Step(Kind.STATEMENT, null, by, true));
        }
        steps.add(new Step(Kind.END, null, by, true));
    }

    /**
     * Records extended-protocol messages (and Syncs) a policy sends on its own, not for a client's request: every
     * answer, the ReadyForQuery of each Sync included, is {@code by}'s.
     */
    public void sentOwn(SessionPolicy by, List<FrontendMessage> messages) {
        for (FrontendMessage m : messages) {
            Kind kind = m.type() == FrontendMessage.QUERY ? null : kindOf(m.type());
            if (m instanceof FrontendMessage.Query query) {
                sentOwn(by, query);
            } else if (kind != null) {
                steps.add(new Step(kind, null, by, true));
            }
        }
    }

    /** Records a Query that goes on with a client's Query a policy took apart: see {@code Session.sendForClient}. */
    public void sentForClient(SessionPolicy by, List<ClientRequest.Part> parts) {
        for (ClientRequest.Part part : parts) {
            steps.add(new Step(Kind.STATEMENT, part.answers(), part.own() ? by : null, false));
        }
        steps.add(END);
    }

    /** The client's message as it came (or with its SQL rewritten): its answers are the client's. */
    private void forwarded(byte type, List<StatementInfo> statements) {
        if (type == FrontendMessage.QUERY) {
            for (int i = 0, n = statements.size(); i < n; i++) {
                steps.add(new Step(Kind.STATEMENT, statements.get(i), null, false));
            }
            steps.add(END);
            return;
        }
        Kind kind = kindOf(type);
        if (kind != null) {
            steps.add(
                    kind == Kind.END
                            ? END
                            : new Step(kind, statements.isEmpty() ? null : statements.get(0), null, false));
        }
    }

    private void replaced(ClientRequest.Sent sent) {
        byte type = sent.message().type();
        List<ClientRequest.Answer> answers = sent.answers();
        if (type == FrontendMessage.QUERY) {
            for (ClientRequest.Answer a : answers) {
                steps.add(new Step(Kind.STATEMENT, a.statement(), a.addedBy(), false));
            }
            steps.add(END); // the client waits for this ReadyForQuery even when a policy rewrote its whole Query
            return;
        }
        Kind kind = kindOf(type);
        ClientRequest.Answer a = answers.isEmpty() ? null : answers.get(0);
        if (kind == Kind.END) {
            // A Sync a policy adds in the middle of the client's group ends a group of its own: its ReadyForQuery is
            // the policy's, not the one the client waits for.
            steps.add(a != null && a.addedBy() != null ? new Step(Kind.END, null, a.addedBy(), false) : END);
        } else if (kind != null) {
            steps.add(new Step(kind, a == null ? null : a.statement(), a == null ? null : a.addedBy(), false));
        }
    }

    /** Null for messages answered without a completion (Describe, Flush) or not at all (Terminate). */
    private static Kind kindOf(byte type) {
        return switch (type) {
            case FrontendMessage.PARSE -> Kind.PARSE;
            case FrontendMessage.BIND -> Kind.BIND;
            case FrontendMessage.EXECUTE -> Kind.STATEMENT;
            case FrontendMessage.CLOSE -> Kind.CLOSE;
            case FrontendMessage.SYNC -> Kind.END;
            default -> null;
        };
    }

    /** Says what {@code reply} answers, and moves past the answers it completes or makes PostgreSQL skip. */
    public void track(ServerReply reply) {
        switch (reply.type()) {
            case BackendMessage.PARSE_COMPLETE -> reply.answer(take(Kind.PARSE), true);
            case BackendMessage.BIND_COMPLETE -> reply.answer(take(Kind.BIND), true);
            case BackendMessage.CLOSE_COMPLETE -> reply.answer(take(Kind.CLOSE), true);
            case BackendMessage.COMMAND_COMPLETE,
                    BackendMessage.EMPTY_QUERY_RESPONSE,
                    BackendMessage.PORTAL_SUSPENDED -> reply.answer(take(Kind.STATEMENT), true);
            case BackendMessage.ERROR_RESPONSE -> {
                Step failed = steps.peekFirst();
                if (failed == null || failed.kind() == Kind.END) {
                    reply.answer(null, true);
                    return;
                }
                reply.answer(failed, true);
                // PostgreSQL skips the rest of the Query, or everything up to the Sync.
                while (!steps.isEmpty() && steps.peekFirst().kind() != Kind.END) {
                    steps.pollFirst();
                }
            }
            case BackendMessage.READY_FOR_QUERY -> {
                Step step;
                do {
                    step = steps.pollFirst();
                } while (step != null && step.kind() != Kind.END);
                reply.answer(step, true);
            }
            default ->
                reply.answer(steps.peekFirst(), false); // rows, notices, descriptions: part of the answer under way
        }
    }

    private Step take(Kind kind) {
        Step head = steps.peekFirst();
        if (head == null || head.kind() != kind) {
            return null; // out of step (e.g. a message the gateway could not read): answers nothing known
        }
        return steps.pollFirst();
    }

    /** PostgreSQL still owes answers: something sent is still running or waiting for its ReadyForQuery. */
    public boolean awaitingReplies() {
        return !steps.isEmpty();
    }

    /** The client statements sent and not yet completed, in order (a Query's and Executes'). */
    public List<StatementInfo> statementsInFlight() {
        List<StatementInfo> inFlight = new ArrayList<>();
        for (Step step : steps) {
            if (step.kind() == Kind.STATEMENT && step.answers() != null) {
                inFlight.add(step.answers());
            }
        }
        return inFlight;
    }
}
