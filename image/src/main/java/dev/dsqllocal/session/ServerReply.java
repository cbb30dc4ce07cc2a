package dev.dsqllocal.session;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.sql.StatementInfo;
import java.util.Optional;

/**
 * One message from PostgreSQL on its way to the client, decoded once, as the session's policies see it in turn,
 * saying what it answers ({@link ReplyTracker} matched it to what was sent): the client's statement it completes or
 * fails, or a statement a policy added itself. A policy may replace it (the next policy sees the replacement) or
 * drop it (the next sees nothing).
 */
public final class ServerReply {
    private BackendMessage message;
    private boolean replaced;
    private boolean dropped;
    private ReplyTracker.Step answered;
    /** The reply ends the answer of {@link #answered} (a completion or an error), not a part of it. */
    private boolean ends;

    public ServerReply(BackendMessage message) {
        this.message = message;
    }

    /** The message as it stands: PostgreSQL's, or an earlier policy's replacement. */
    public BackendMessage message() {
        return message;
    }

    public byte type() {
        return message.type();
    }

    void answer(ReplyTracker.Step step, boolean ends) {
        this.answered = step;
        this.ends = ends;
    }

    /**
     * The reply completes or fails a statement that was sent (a Query's statement or an Execute), whether or not the
     * session knows which ({@link #statement()}); false for other replies, and for any after an error until the
     * ReadyForQuery, when PostgreSQL is skipping.
     */
    public boolean answersStatement() {
        return ends && answered != null && answered.kind() == ReplyTracker.Kind.STATEMENT;
    }

    /** The client's statement this reply answers (or belongs to the answer of), when the session knows it. */
    public Optional<StatementInfo> statement() {
        return answered == null ? Optional.empty() : Optional.ofNullable(answered.answers());
    }

    /** The reply answers a statement {@code policy} added itself, in a client's request or on its own. */
    public boolean answersOwnOf(SessionPolicy policy) {
        return answered != null && answered.addedBy() == policy;
    }

    /** The reply answers a Query {@code policy} sent on its own ({@link SessionPolicy.Session#sendOwn}). */
    public boolean answersInjectedBy(SessionPolicy policy) {
        return answersOwnOf(policy) && answered.injected();
    }

    public void replaceWith(BackendMessage other) {
        message = other;
        replaced = true;
    }

    public void drop() {
        dropped = true;
    }

    public boolean dropped() {
        return dropped;
    }

    /** A policy put another message in PostgreSQL's place (send {@link #message()}, not the bytes that came). */
    public boolean replaced() {
        return replaced;
    }
}
