package dev.dsqllocal.sql;

import dev.dsqllocal.sql.StatementInfo.CopyFacts;
import dev.dsqllocal.sql.StatementInfo.FunctionCall;
import dev.dsqllocal.sql.StatementInfo.IamMapping;
import dev.dsqllocal.sql.StatementInfo.LockingClause;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a statement's tokens far enough to know what it is and to collect the facts DSQL's dialect rules
 * depend on. It is not a full SQL parser: anything it does not recognise is {@link StatementKind#UNKNOWN}
 * (or a known kind with no facts) and is left for PostgreSQL to accept or reject.
 */
public final class StatementClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(StatementClassifier.class);

    /** Words that, followed by {@code (}, are grammar rather than a function call. */
    private static final Set<String> NOT_FUNCTIONS = Set.of(
            "all",
            "and",
            "any",
            "array",
            "as",
            "between",
            "by",
            "case",
            "check",
            "conflict",
            "constraint",
            "cube",
            "distinct",
            "else",
            "except",
            "exists",
            "filter",
            "from",
            "grouping",
            "having",
            "in",
            "include",
            "intersect",
            "is",
            "join",
            "key",
            "lateral",
            "not",
            "on",
            "or",
            "over",
            "partition",
            "primary",
            "rollup",
            "row",
            "select",
            "sets",
            "some",
            "then",
            "union",
            "unique",
            "using",
            "values",
            "when",
            "where",
            "with",
            "within",
            "window",
            "default",
            "references",
            "materialized",
            "recursive",
            "returning",
            "set",
            "to");

    /** A word before {@code name (} that makes {@code name} an object being named, not a function being called. */
    private static final Set<String> OBJECT_NAME_CONTEXT = Set.of(
            "into",
            "table",
            "references",
            "on",
            "function",
            "procedure",
            "index",
            "type",
            "view",
            "exists",
            "only",
            "trigger",
            "sequence",
            "aggregate",
            "operator",
            "domain",
            "routine",
            "update",
            "statistics");

    private StatementClassifier() {}

    /** Splits a simple-query string and classifies every statement in it. */
    public static List<StatementInfo> classifyAll(String sql) {
        return SqlLexer.split(sql).stream().map(StatementClassifier::classify).collect(Collectors.toList());
    }

    /** Classifies a single-statement string (extended-protocol Parse). Extra statements make it UNKNOWN. */
    public static StatementInfo classifySingle(String sql) {
        return classifySingle(sql, SqlLexer.split(sql));
    }

    /** {@link #classifySingle(String)} of {@code sql} already split into {@code statements}. */
    public static StatementInfo classifySingle(String sql, List<SqlStatement> statements) {
        if (statements.isEmpty()) {
            return classify(new SqlStatement(sql, 0, List.of(), true));
        }
        if (statements.size() > 1) {
            // PostgreSQL rejects this itself ("cannot insert multiple commands into a prepared statement").
            return StatementInfo.builder(statements.get(0)).build();
        }
        return classify(statements.get(0));
    }

    public static StatementInfo classify(SqlStatement statement) {
        StatementInfo.Builder b = StatementInfo.builder(statement);
        if (!statement.complete()) {
            return b.build();
        }
        if (statement.isEmpty()) {
            return b.kind(StatementKind.EMPTY, "").build();
        }
        TokenCursor c = new TokenCursor(statement.tokens());
        try {
            dispatch(c, b, statement);
        } catch (RuntimeException e) {
            // Malformed text the grammar walk did not expect: never guess, let PostgreSQL judge it.
            LOG.debug("Statement not understood, passed on unchecked: {}", e.toString());
            return StatementInfo.builder(statement).build();
        }
        collectExpressionFacts(statement.tokens(), b);
        return b.build();
    }

    private static void dispatch(TokenCursor c, StatementInfo.Builder b, SqlStatement statement) {
        Token first = c.peek();
        if (first.isPunctuation('(')) {
            query(c, b);
            return;
        }
        if (first.type() != TokenType.WORD) {
            return;
        }
        switch (first.value()) {
            case "select", "values", "table" -> query(c, b);
            case "with" -> with(c, b);
            case "insert", "update", "delete" ->
                b.kind(StatementKind.DML, TokenCursor.upper(first.value())).writesRows(true);
            case "merge" -> b.kind(StatementKind.DML, "MERGE").nodeTag("Merge").writesRows(true);
            case "copy" -> copy(c, b);
            case "create" -> DdlStatementReader.create(c, b);
            case "alter" -> DdlStatementReader.alter(c, b);
            case "drop" -> DdlStatementReader.drop(c, b);
            case "truncate" ->
                b.kind(StatementKind.DML, "TRUNCATE TABLE").nodeTag("Truncate").writesRows(true);
            case "comment" -> b.kind(StatementKind.DDL, "COMMENT");
            case "grant" -> b.kind(StatementKind.DDL, "GRANT");
            case "revoke" -> b.kind(StatementKind.DDL, "REVOKE");
            case "security" -> b.kind(StatementKind.DDL, "SECURITY LABEL").nodeTag("SecLabel");
            case "import" -> b.kind(StatementKind.DDL, "IMPORT FOREIGN SCHEMA").nodeTag("ImportForeignSchema");
            case "refresh" ->
                b.kind(StatementKind.DDL, "REFRESH MATERIALIZED VIEW").nodeTag("RefreshMatView");
            case "reindex" -> b.kind(StatementKind.UTILITY, "REINDEX").nodeTag("Reindex");
            case "cluster" -> b.kind(StatementKind.UTILITY, "CLUSTER").nodeTag("Cluster");
            case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release" ->
                SessionStatementReader.transaction(c, b);
            case "prepare" -> SessionStatementReader.prepare(c, b);
            case "set" -> SessionStatementReader.set(c, b, statement);
            case "reset" -> SessionStatementReader.reset(c, b);
            case "show" -> SessionStatementReader.show(c, b);
            case "explain" -> explain(c, b, statement);
            case "vacuum" -> b.kind(StatementKind.UTILITY, "VACUUM").nodeTag("Vacuum");
            case "analyze", "analyse" -> b.kind(StatementKind.UTILITY, "ANALYZE");
            case "call" -> call(c, b);
            case "do" -> b.kind(StatementKind.UTILITY, "DO").nodeTag("Do");
            case "listen" -> b.kind(StatementKind.UTILITY, "LISTEN").nodeTag("Listen");
            case "notify" -> b.kind(StatementKind.UTILITY, "NOTIFY").nodeTag("Notify");
            case "unlisten" -> b.kind(StatementKind.UTILITY, "UNLISTEN").nodeTag("Unlisten");
            case "lock" -> b.kind(StatementKind.UTILITY, "LOCK TABLE").nodeTag("Lock");
            case "declare" -> b.kind(StatementKind.UTILITY, "DECLARE CURSOR").nodeTag("DeclareCursor");
            case "fetch" -> b.kind(StatementKind.UTILITY, "FETCH").nodeTag("Fetch");
            case "move" -> b.kind(StatementKind.UTILITY, "MOVE").nodeTag("Fetch");
            case "close" -> b.kind(StatementKind.UTILITY, "CLOSE CURSOR").nodeTag("ClosePortal");
            case "execute" -> b.kind(StatementKind.UTILITY, "EXECUTE").nodeTag("Execute");
            case "deallocate" -> SessionStatementReader.deallocate(c, b);
            case "discard" ->
                b.kind(StatementKind.UTILITY, c.atWords("discard", "all") ? "DISCARD ALL" : "DISCARD")
                        .nodeTag("Discard");
            case "checkpoint" -> b.kind(StatementKind.UTILITY, "CHECKPOINT").nodeTag("Checkpoint");
            case "load" -> b.kind(StatementKind.UTILITY, "LOAD").nodeTag("Load");
            case "aws" -> awsIam(c, b);
            default -> {
                // unknown: leave it to PostgreSQL
            }
        }
    }

    // ------------------------------------------------------------------ queries and DML

    static void query(TokenCursor c, StatementInfo.Builder b) {
        List<Token> rest = c.rest();
        if (rest.get(0).isWord("select") && TokenCursor.containsTopLevelWord(rest, "into")) {
            // SELECT ... INTO new_table is CREATE TABLE AS in PostgreSQL's parse tree.
            b.kind(StatementKind.DDL, "SELECT INTO").nodeTag("CreateTableAs");
            return;
        }
        b.kind(StatementKind.QUERY, "SELECT");
    }

    /** {@code WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (...) [, ...] main-statement}. */
    private static void with(TokenCursor c, StatementInfo.Builder b) {
        c.accept("with");
        c.accept("recursive");
        boolean dataModifying = false;
        while (!c.atEnd()) {
            if (c.acceptName() == null) {
                return;
            }
            c.skipGroup();
            if (!c.accept("as")) {
                return;
            }
            c.accept("not");
            c.accept("materialized");
            List<Token> body = c.skipGroup();
            if (!body.isEmpty()
                    && body.get(0).type() == TokenType.WORD
                    && Set.of("insert", "update", "delete", "merge")
                            .contains(body.get(0).value())) {
                dataModifying = true;
            }
            // SEARCH / CYCLE clauses up to the next CTE or the main statement
            while (!c.atEnd() && !c.atPunctuation(',') && !atMainStatement(c)) {
                if (c.skipGroup().isEmpty()) {
                    c.next();
                }
            }
            if (!c.acceptPunctuation(',')) {
                break;
            }
        }
        if (c.atEnd()) {
            return;
        }
        Token main = c.peek();
        switch (main.value()) {
            case "insert", "update", "delete" ->
                b.kind(StatementKind.DML, TokenCursor.upper(main.value())).writesRows(true);
            case "merge" -> b.kind(StatementKind.DML, "MERGE").nodeTag("Merge").writesRows(true);
            default -> {
                query(c, b);
                if (dataModifying) {
                    b.kind(StatementKind.DML, "SELECT").writesRows(true);
                }
            }
        }
    }

    private static boolean atMainStatement(TokenCursor c) {
        Token t = c.peek();
        return t.isPunctuation('(')
                || (t.type() == TokenType.WORD
                        && Set.of("select", "insert", "update", "delete", "merge", "values", "table")
                                .contains(t.value()));
    }

    private static void copy(TokenCursor c, StatementInfo.Builder b) {
        c.accept("copy");
        if (c.skipGroup().isEmpty()) {
            c.acceptQualifiedName();
            c.skipGroup();
        }
        boolean from;
        if (c.accept("from")) {
            from = true;
        } else if (c.accept("to")) {
            from = false;
        } else {
            return;
        }
        boolean clientSide = c.atWord("stdin") || c.atWord("stdout");
        b.kind(from ? StatementKind.DML : StatementKind.QUERY, "COPY")
                .copy(new CopyFacts(from, clientSide))
                .writesRows(from);
    }

    // ------------------------------------------------------------------ utilities

    private static void explain(TokenCursor c, StatementInfo.Builder b, SqlStatement statement) {
        c.accept("explain");
        boolean analyze = false;
        List<Token> options = c.skipGroup();
        if (!options.isEmpty()) {
            for (List<Token> option : TokenCursor.splitTopLevel(options, ',')) {
                if (!option.isEmpty()
                        && (option.get(0).isWord("analyze") || option.get(0).isWord("analyse"))) {
                    analyze = option.size() == 1
                            || !(option.get(1).isWord("false")
                                    || option.get(1).isWord("off")
                                    || option.get(1).text().equals("0"));
                }
            }
        } else {
            analyze = c.accept("analyze") || c.accept("analyse");
            c.accept("verbose");
        }
        List<Token> inner = c.rest();
        if (inner.isEmpty()) {
            return;
        }
        int from = inner.get(0).start() - statement.start();
        SqlStatement innerStatement =
                new SqlStatement(statement.text().substring(from), inner.get(0).start(), inner, true);
        StatementInfo explained = classify(innerStatement);
        b.kind(StatementKind.UTILITY, "EXPLAIN").writesRows(analyze && explained.writesRows());
    }

    private static void call(TokenCursor c, StatementInfo.Builder b) {
        c.accept("call");
        b.kind(StatementKind.UTILITY, "CALL");
        String name = c.acceptQualifiedName();
        if (name == null || !name.equals("sys.wait_for_job")) {
            return;
        }
        List<Token> args = c.skipGroup();
        if (args.size() == 1 && args.get(0).type() == TokenType.STRING) {
            b.waitForJob(args.get(0).value());
        } else if (!args.isEmpty()) {
            b.waitForJob(args.stream().map(Token::text).collect(Collectors.joining(" ")));
        }
    }

    /** {@code AWS IAM GRANT role TO 'arn'} and {@code AWS IAM REVOKE role FROM 'arn'}. */
    private static void awsIam(TokenCursor c, StatementInfo.Builder b) {
        if (!c.accept("aws", "iam")) {
            return;
        }
        boolean grant;
        if (c.accept("grant")) {
            grant = true;
        } else if (c.accept("revoke")) {
            grant = false;
        } else {
            return;
        }
        String role = c.acceptName();
        if (role == null || !(grant ? c.accept("to") : c.accept("from"))) {
            return;
        }
        Token arn = c.next();
        if (arn == null || arn.type() != TokenType.STRING || !c.atEnd()) {
            return;
        }
        b.kind(StatementKind.DDL, grant ? "AWS IAM GRANT" : "AWS IAM REVOKE")
                .iam(new IamMapping(grant, role, arn.value()));
    }

    // ------------------------------------------------------------------ facts inside expressions

    /** Locking clauses, TABLESAMPLE and function calls, wherever they occur in a query-like statement. */
    private static void collectExpressionFacts(List<Token> tokens, StatementInfo.Builder b) {
        StatementKind kind = b.kind();
        if (kind == StatementKind.UNKNOWN || kind == StatementKind.EMPTY) {
            return;
        }
        boolean queryLike = kind == StatementKind.QUERY
                || kind == StatementKind.DML
                || (kind == StatementKind.UTILITY && tokens.get(0).isWord("explain"));
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (queryLike && t.isWord("for") && i + 1 < tokens.size()) {
                LockingClause clause = lockingClause(tokens, i + 1);
                if (clause != null) {
                    b.locking(clause);
                }
            }
            if (queryLike && t.isWord("tablesample")) {
                b.tableSample(true);
            }
            if (t.isName() && i + 1 < tokens.size() && tokens.get(i + 1).isPunctuation('(')) {
                functionCall(tokens, i).ifPresent(b::function);
            }
        }
        if (kind == StatementKind.QUERY
                && (b.locking().contains(LockingClause.FOR_UPDATE)
                        || b.locking().contains(LockingClause.FOR_KEY_SHARE)
                        || b.locking().contains(LockingClause.FOR_NO_KEY_UPDATE)
                        || b.locking().contains(LockingClause.FOR_SHARE))) {
            b.writesRows(true);
        }
    }

    private static LockingClause lockingClause(List<Token> t, int i) {
        if (t.get(i).isWord("update")) {
            return LockingClause.FOR_UPDATE;
        }
        if (t.get(i).isWord("share")) {
            return LockingClause.FOR_SHARE;
        }
        if (i + 1 < t.size() && t.get(i).isWord("key") && t.get(i + 1).isWord("share")) {
            return LockingClause.FOR_KEY_SHARE;
        }
        if (i + 2 < t.size()
                && t.get(i).isWord("no")
                && t.get(i + 1).isWord("key")
                && t.get(i + 2).isWord("update")) {
            return LockingClause.FOR_NO_KEY_UPDATE;
        }
        return null;
    }

    private static Optional<FunctionCall> functionCall(List<Token> tokens, int i) {
        Token name = tokens.get(i);
        if (name.type() == TokenType.WORD && NOT_FUNCTIONS.contains(name.value())) {
            return Optional.empty();
        }
        String schema = null;
        int before = i - 1;
        if (before >= 1
                && tokens.get(before).isPunctuation('.')
                && tokens.get(before - 1).isName()) {
            schema = tokens.get(before - 1).value();
            before -= 2;
        }
        if (before >= 0
                && tokens.get(before).type() == TokenType.WORD
                && OBJECT_NAME_CONTEXT.contains(tokens.get(before).value())) {
            return Optional.empty();
        }
        return Optional.of(new FunctionCall(schema, name.value()));
    }
}
