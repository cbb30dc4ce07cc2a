package dev.dsqllocal.session;

import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.sql.SqlLexer;
import dev.dsqllocal.sql.StatementInfo;
import java.util.ArrayList;
import java.util.Collections;
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
    private List<Sent> sent;
    private boolean heldBack;

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

    /**
     * Sends these messages instead (none: the request is dropped); policies after this one do not see it. Their
     * answers stand for the request's own: a Parse, Bind or Execute answers the request's statement, the statements
     * of a Query answer the request's statements one for one.
     */
    public void replaceWith(FrontendMessage... messages) {
        List<Sent> sent = new ArrayList<>(messages.length);
        for (FrontendMessage m : messages) {
            List<StatementInfo> answered = m instanceof FrontendMessage.Query ? statements : statementOrNone();
            List<Answer> answers = new ArrayList<>(answered.size());
            for (StatementInfo info : answered) {
                answers.add(new Answer(info, null));
            }
            sent.add(new Sent(m, answers));
        }
        this.sent = sent;
    }

    /**
     * Sends {@code by}'s own messages in place of the request (the client's statements do not run): their answers
     * are {@code by}'s, except the ReadyForQuery that ends a Query, which the client still waits for.
     */
    public void replaceWithOwn(SessionPolicy by, FrontendMessage... messages) {
        List<Sent> sent = new ArrayList<>(messages.length);
        for (FrontendMessage m : messages) {
            int count = m instanceof FrontendMessage.Query q
                    ? SqlLexer.split(q.sql()).size()
                    : 1;
            sent.add(new Sent(m, Collections.nCopies(count, new Answer(null, by))));
        }
        this.sent = sent;
    }

    /**
     * Replaces a Query by one that runs {@code parts} in order, each answering the client's statement it names;
     * the answers of a part marked {@link Part#own} are {@code by}'s (e.g. a ROLLBACK the policy adds first).
     */
    public void replaceWithQuery(SessionPolicy by, List<Part> parts) {
        List<Answer> answers = new ArrayList<>(parts.size());
        for (Part part : parts) {
            answers.add(new Answer(part.answers(), part.own() ? by : null));
        }
        sent = List.of(new Sent(new FrontendMessage.Query(Part.join(parts)), answers));
    }

    /**
     * Sends {@code by}'s own messages {@code before} and {@code after} the request (as it is to run): their answers
     * are {@code by}'s (a Sync among them ends a group of {@code by}'s own), the request's answers stay the
     * client's. Policies after this one do not see the request.
     */
    public void surround(SessionPolicy by, List<FrontendMessage> before, List<FrontendMessage> after) {
        List<Sent> sent = new ArrayList<>(before.size() + after.size() + 1);
        for (FrontendMessage m : before) {
            sent.add(new Sent(m, List.of(new Answer(null, by))));
        }
        FrontendMessage own = messageToRun();
        List<StatementInfo> answered = own instanceof FrontendMessage.Query ? statements : statementOrNone();
        List<Answer> answers = new ArrayList<>(answered.size());
        for (StatementInfo info : answered) {
            answers.add(new Answer(info, null));
        }
        sent.add(new Sent(own, answers));
        for (FrontendMessage m : after) {
            sent.add(new Sent(m, List.of(new Answer(null, by))));
        }
        this.sent = sent;
    }

    public void drop() {
        sent = List.of();
    }

    /**
     * Keeps the request back, first among the client's held messages ({@link SessionPolicy.Session#holdClient}, which
     * the policy calls too): nothing is sent now, later policies do not see it, and every policy sees it again, as
     * it came, when the session resumes.
     */
    public void holdBack() {
        heldBack = true;
        sent = List.of();
    }

    /** A policy kept the request back ({@link #holdBack}). */
    public boolean heldBack() {
        return heldBack;
    }

    /** For the session: the held request is handed to the policies again, undecided, as it came. */
    public void unhold() {
        heldBack = false;
        sent = null;
    }

    /**
     * One statement of a replacement Query: its text, the client's statement it answers for (null: none), and
     * whether its answers are the replacing policy's own.
     */
    public record Part(String sql, StatementInfo answers, boolean own) {
        public static Part client(String sql, StatementInfo answers) {
            return new Part(sql, answers, false);
        }

        public static Part own(String sql, StatementInfo answers) {
            return new Part(sql, answers, true);
        }

        /** The text of a Query running {@code parts} in order. */
        public static String join(List<Part> parts) {
            return String.join(";\n", parts.stream().map(Part::sql).toList());
        }
    }

    /**
     * What one answer of a sent message stands for: the client's statement (null: none) and the policy that added
     * the statement (null: the client's, or one standing in for it).
     */
    record Answer(StatementInfo statement, SessionPolicy addedBy) {}

    /** A message sent in the request's place, with its answers in order (a Query's statements; one otherwise). */
    record Sent(FrontendMessage message, List<Answer> answers) {}

    /** What is sent in the request's place: null when {@link #forwarded()}. */
    List<Sent> sent() {
        return sent;
    }

    private List<StatementInfo> statementOrNone() {
        return statements.isEmpty() ? Collections.singletonList(null) : statements.subList(0, 1);
    }

    /** No policy replaced or dropped the request. */
    public boolean forwarded() {
        return sent == null;
    }

    /** What a policy sends instead (empty when dropped); null when {@link #forwarded()}. */
    public List<FrontendMessage> replacement() {
        return sent == null ? null : sent.stream().map(Sent::message).toList();
    }
}
