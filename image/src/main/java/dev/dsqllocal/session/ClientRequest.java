package dev.dsqllocal.session;

import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.sql.StatementInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One client message on its way to PostgreSQL, decoded once and with its SQL classified once, as every policy of
 * the session sees it ({@link RequestReader} makes it). A policy may replace it by other messages or drop it; the
 * session then sends the replacement, else the client's bytes as they came (or, when {@link #sqlChanged()}, the
 * message with {@link #sql()}).
 */
public final class ClientRequest {
    private final FrontendMessage message;
    private final String sql;
    private final boolean sqlChanged;
    private final boolean singleStatement;
    private final List<StatementInfo> statements;
    private List<FrontendMessage> replacement;

    ClientRequest(
            FrontendMessage message,
            String sql,
            boolean sqlChanged,
            boolean singleStatement,
            List<StatementInfo> statements) {
        this.message = message;
        this.sql = sql;
        this.sqlChanged = sqlChanged;
        this.singleStatement = singleStatement;
        this.statements = statements;
    }

    /** The message as the client sent it. */
    public FrontendMessage message() {
        return message;
    }

    public byte type() {
        return message.type();
    }

    /**
     * A Query's or Parse's SQL as it is to run: the client's text after the session's {@link
     * SessionPolicy.Factory#sqlToRun} (the dialect hides internal names); null for other messages.
     */
    public String sql() {
        return sql;
    }

    /** {@link #sql()} differs from the text the client wrote. */
    public boolean sqlChanged() {
        return sqlChanged;
    }

    /** A Parse whose SQL is exactly one statement (PostgreSQL refuses several; none is an empty query). */
    public boolean singleStatement() {
        return singleStatement;
    }

    /**
     * What runs: a Query's statements in order; a Parse's statement; for Bind and Execute the statement bound to
     * the portal, when the session knows it; empty otherwise.
     */
    public List<StatementInfo> statements() {
        return statements;
    }

    /** The one statement of a Parse, Bind or Execute ({@link #statements()}' first). */
    public Optional<StatementInfo> statement() {
        return statements.isEmpty() ? Optional.empty() : Optional.of(statements.get(0));
    }

    /** The message to send when no policy replaced it: the client's, with {@link #sql()} in place of its text. */
    public FrontendMessage messageToRun() {
        if (!sqlChanged) {
            return message;
        }
        if (message instanceof FrontendMessage.Query) {
            return new FrontendMessage.Query(sql);
        }
        return ((FrontendMessage.Parse) message).withSql(sql);
    }

    /** Sends these messages instead (none: the request is dropped); policies after this one do not see it. */
    public void replaceWith(FrontendMessage... messages) {
        replacement = List.copyOf(Arrays.asList(messages));
    }

    public void drop() {
        replacement = List.of();
    }

    /** No policy replaced or dropped the request. */
    public boolean forwarded() {
        return replacement == null;
    }

    /** What a policy sends instead (empty when dropped); null when {@link #forwarded()}. */
    public List<FrontendMessage> replacement() {
        return replacement;
    }
}
