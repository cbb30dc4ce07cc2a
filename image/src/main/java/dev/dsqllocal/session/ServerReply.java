package dev.dsqllocal.session;

import dev.dsqllocal.pgwire.BackendMessage;

/**
 * One message from PostgreSQL on its way to the client, decoded once, as the session's policies see it in turn.
 * A policy may replace it (the next policy sees the replacement) or drop it (the next sees nothing).
 */
public final class ServerReply {
    private BackendMessage message;
    private boolean replaced;
    private boolean dropped;

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
