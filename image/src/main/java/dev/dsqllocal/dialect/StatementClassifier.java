package dev.dsqllocal.dialect;

import dev.dsqllocal.dialect.StatementInfo.AlterTableAction;
import dev.dsqllocal.dialect.StatementInfo.AlterTableAction.Action;
import dev.dsqllocal.dialect.StatementInfo.AlterTableFacts;
import dev.dsqllocal.dialect.StatementInfo.ColumnDefinition;
import dev.dsqllocal.dialect.StatementInfo.CopyFacts;
import dev.dsqllocal.dialect.StatementInfo.FunctionCall;
import dev.dsqllocal.dialect.StatementInfo.IamMapping;
import dev.dsqllocal.dialect.StatementInfo.IdentitySpec;
import dev.dsqllocal.dialect.StatementInfo.IndexFacts;
import dev.dsqllocal.dialect.StatementInfo.LockingClause;
import dev.dsqllocal.dialect.StatementInfo.RoutineFacts;
import dev.dsqllocal.dialect.StatementInfo.SequenceFacts;
import dev.dsqllocal.dialect.StatementInfo.SetFacts;
import dev.dsqllocal.dialect.StatementInfo.TableFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a statement's tokens far enough to know what it is and to collect the facts DSQL's dialect rules
 * depend on. It is not a full SQL parser: anything it does not recognise is {@link StatementKind#UNKNOWN}
 * (or a known kind with no facts) and is left for PostgreSQL to accept or reject.
 */
public final class StatementClassifier {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatementClassifier.class);

    /** Words that, followed by {@code (}, are grammar rather than a function call. */
    private static final Set<String> NOT_FUNCTIONS = Set.of(
            "all", "and", "any", "array", "as", "between", "by", "case", "check", "conflict", "constraint",
            "cube", "distinct", "else", "except", "exists", "filter", "from", "grouping", "having", "in", "include",
            "intersect", "is", "join", "key", "lateral", "not", "on", "or", "over", "partition", "primary", "rollup",
            "row", "select", "sets", "some", "then", "union", "unique", "using", "values", "when", "where", "with",
            "within", "window", "default", "references", "materialized", "recursive", "returning", "set", "to");

    /** A word before {@code name (} that makes {@code name} an object being named, not a function being called. */
    private static final Set<String> OBJECT_NAME_CONTEXT = Set.of(
            "into", "table", "references", "on", "function", "procedure", "index", "type", "view", "exists", "only",
            "trigger", "sequence", "aggregate", "operator", "domain", "routine", "update", "statistics");

    private StatementClassifier() {
    }

    /** Splits a simple-query string and classifies every statement in it. */
    public static List<StatementInfo> classifyAll(String sql) {
        return SqlLexer.split(sql).stream().map(StatementClassifier::classify).collect(Collectors.toList());
    }

    /** Classifies a single-statement string (extended-protocol Parse). Extra statements make it UNKNOWN. */
    public static StatementInfo classifySingle(String sql) {
        List<SqlStatement> statements = SqlLexer.split(sql);
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
            case "insert", "update", "delete" -> b.kind(StatementKind.DML, upper(first.value())).writesRows(true);
            case "merge" -> b.kind(StatementKind.DML, "MERGE").nodeTag("Merge").writesRows(true);
            case "copy" -> copy(c, b);
            case "create" -> create(c, b);
            case "alter" -> alter(c, b);
            case "drop" -> drop(c, b);
            case "truncate" -> b.kind(StatementKind.DML, "TRUNCATE TABLE").nodeTag("Truncate").writesRows(true);
            case "comment" -> b.kind(StatementKind.DDL, "COMMENT");
            case "grant" -> b.kind(StatementKind.DDL, "GRANT");
            case "revoke" -> b.kind(StatementKind.DDL, "REVOKE");
            case "security" -> b.kind(StatementKind.DDL, "SECURITY LABEL").nodeTag("SecLabel");
            case "import" -> b.kind(StatementKind.DDL, "IMPORT FOREIGN SCHEMA").nodeTag("ImportForeignSchema");
            case "refresh" -> b.kind(StatementKind.DDL, "REFRESH MATERIALIZED VIEW").nodeTag("RefreshMatView");
            case "reindex" -> b.kind(StatementKind.UTILITY, "REINDEX").nodeTag("Reindex");
            case "cluster" -> b.kind(StatementKind.UTILITY, "CLUSTER").nodeTag("Cluster");
            case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release" -> transaction(c, b);
            case "prepare" -> prepare(c, b);
            case "set" -> set(c, b, statement);
            case "reset" -> reset(c, b);
            case "show" -> show(c, b);
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
            case "deallocate" -> deallocate(c, b);
            case "discard" -> b.kind(StatementKind.UTILITY, c.atWords("discard", "all") ? "DISCARD ALL" : "DISCARD")
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

    private static void query(TokenCursor c, StatementInfo.Builder b) {
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
            if (!body.isEmpty() && body.get(0).type() == TokenType.WORD
                    && Set.of("insert", "update", "delete", "merge").contains(body.get(0).value())) {
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
            case "insert", "update", "delete" -> b.kind(StatementKind.DML, upper(main.value())).writesRows(true);
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
        return t.isPunctuation('(') || (t.type() == TokenType.WORD
                && Set.of("select", "insert", "update", "delete", "merge", "values", "table").contains(t.value()));
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
        b.kind(from ? StatementKind.DML : StatementKind.QUERY, "COPY").copy(new CopyFacts(from, clientSide))
                .writesRows(from);
    }

    // ------------------------------------------------------------------ CREATE

    private static void create(TokenCursor c, StatementInfo.Builder b) {
        c.accept("create");
        c.accept("or", "replace");
        boolean temporary = false;
        boolean unlogged = false;
        if (c.accept("global") || c.accept("local")) {
            temporary = true;
        }
        if (c.accept("temporary") || c.accept("temp")) {
            temporary = true;
        } else if (c.accept("unlogged")) {
            unlogged = true;
        }
        Token object = c.peek();
        if (object == null || object.type() != TokenType.WORD) {
            return;
        }
        b.kind(StatementKind.DDL, "CREATE " + upper(object.value()));
        if (c.accept("table")) {
            createTable(c, b, temporary, unlogged);
        } else if (c.accept("unique", "index")) {
            createIndex(c, b, true);
        } else if (c.accept("index")) {
            createIndex(c, b, false);
        } else if (c.accept("sequence")) {
            createSequence(c, b);
        } else if (c.atWord("function") || c.atWord("procedure")) {
            createRoutine(c, b);
        } else if (c.accept("trigger") || c.accept("constraint", "trigger")) {
            b.kind(StatementKind.DDL, "CREATE TRIGGER").nodeTag("CreateTrig");
        } else if (c.accept("event", "trigger")) {
            b.kind(StatementKind.DDL, "CREATE EVENT TRIGGER").nodeTag("CreateEventTrig");
        } else if (c.accept("type")) {
            createType(c, b);
        } else if (c.accept("materialized", "view")) {
            b.kind(StatementKind.DDL, "CREATE MATERIALIZED VIEW").nodeTag("CreateTableAs");
        } else if (c.accept("recursive", "view") || c.accept("view")) {
            b.kind(StatementKind.DDL, "CREATE VIEW");
        } else if (c.accept("extension")) {
            b.nodeTag("CreateExtension");
        } else if (c.accept("database")) {
            b.nodeTag("Createdb");
        } else if (c.accept("tablespace")) {
            b.nodeTag("CreateTableSpace");
        } else if (c.accept("foreign", "table")) {
            b.kind(StatementKind.DDL, "CREATE FOREIGN TABLE").nodeTag("CreateForeignTable");
        } else if (c.accept("foreign", "data", "wrapper")) {
            b.kind(StatementKind.DDL, "CREATE FOREIGN DATA WRAPPER").nodeTag("CreateFdw");
        } else if (c.accept("server")) {
            b.nodeTag("CreateForeignServer");
        } else if (c.accept("user", "mapping")) {
            b.kind(StatementKind.DDL, "CREATE USER MAPPING").nodeTag("CreateUserMapping");
        } else if (c.accept("policy")) {
            b.nodeTag("CreatePolicy");
        } else if (c.accept("rule")) {
            b.nodeTag("Rule");
        } else if (c.accept("statistics")) {
            b.nodeTag("CreateStats");
        } else if (c.accept("publication")) {
            b.nodeTag("CreatePublication");
        } else if (c.accept("subscription")) {
            b.nodeTag("CreateSubscription");
        } else if (c.accept("access", "method")) {
            b.kind(StatementKind.DDL, "CREATE ACCESS METHOD").nodeTag("CreateAm");
        } else if (c.accept("trusted") || c.accept("procedural") || c.accept("language")) {
            b.kind(StatementKind.DDL, "CREATE LANGUAGE").nodeTag("CreatePLang");
        }
    }

    private static void createTable(TokenCursor c, StatementInfo.Builder b, boolean temporary, boolean unlogged) {
        c.accept("if", "not", "exists");
        String name = c.acceptQualifiedName();
        List<Token> rest = c.rest();
        if (TokenCursor.containsTopLevelWord(rest, "as")) {
            b.kind(StatementKind.DDL, "CREATE TABLE AS").nodeTag("CreateTableAs");
            return;
        }
        boolean partitionOf = c.accept("partition", "of");
        boolean typed = !partitionOf && c.accept("of");
        if (partitionOf || typed) {
            c.acceptQualifiedName();
        }
        List<ColumnDefinition> columns = new ArrayList<>();
        boolean foreignKeys = false;
        boolean collate = false;
        boolean primaryKey = false;
        int maxKeyColumns = 0;
        List<Token> elements = c.skipGroup();
        for (List<Token> element : TokenCursor.splitTopLevel(elements, ',')) {
            if (element.isEmpty()) {
                continue;
            }
            Token head = element.get(0);
            if (head.type() == TokenType.WORD && Set.of("constraint", "primary", "unique", "check", "foreign",
                    "exclude", "like").contains(head.value())) {
                foreignKeys |= TokenCursor.containsTopLevelWord(element, "references");
                int pk = TokenCursor.indexOfTopLevelWord(element, "primary", 0);
                int unique = TokenCursor.indexOfTopLevelWord(element, "unique", 0);
                primaryKey |= pk >= 0;
                int keyword = Math.max(pk, unique);
                if (keyword >= 0) {
                    TokenCursor k = new TokenCursor(element, keyword + 1);
                    k.accept("key");
                    k.accept("nulls", "not", "distinct");
                    k.accept("nulls", "distinct");
                    maxKeyColumns = Math.max(maxKeyColumns, TokenCursor.splitTopLevel(k.skipGroup(), ',').size());
                }
                continue;
            }
            primaryKey |= TokenCursor.containsTopLevelWord(element, "primary");
            ColumnDefinition column = columnDefinition(new TokenCursor(element));
            if (column != null) {
                columns.add(column);
                foreignKeys |= column.references();
                collate |= column.collate();
            }
        }
        List<Token> tail = c.rest();
        boolean storageParameters = false;
        for (int i = 0; i + 1 < tail.size(); i++) {
            if (tail.get(i).isWord("with") && tail.get(i + 1).isPunctuation('(')) {
                storageParameters = true;
            }
        }
        b.table(new TableFacts(name, temporary, unlogged,
                TokenCursor.containsTopLevelWord(tail, "inherits"),
                TokenCursor.indexOfTopLevelWord(tail, "partition", 0) >= 0
                        && TokenCursor.containsTopLevelWord(tail, "by"),
                partitionOf,
                TokenCursor.containsTopLevelWord(tail, "tablespace"),
                storageParameters, typed, foreignKeys, collate, primaryKey, maxKeyColumns, columns));
    }

    /** {@code name type [constraints...]}; null if it does not look like one. */
    static ColumnDefinition columnDefinition(TokenCursor c) {
        String name = c.acceptName();
        if (name == null || c.atEnd()) {
            return null;
        }
        TypeRef type = typeName(c);
        if (type == null) {
            return null;
        }
        IdentitySpec identity = null;
        boolean hasConstraint = false;
        boolean references = false;
        boolean collate = false;
        while (!c.atEnd()) {
            if (c.accept("generated")) {
                hasConstraint = true;
                if ((c.accept("always") || c.accept("by", "default")) && c.accept("as", "identity")) {
                    List<Token> options = c.skipGroup();
                    identity = new IdentitySpec(cacheOption(options));
                }
            } else if (c.accept("references")) {
                hasConstraint = true;
                references = true;
            } else if (c.accept("collate")) {
                collate = true;
                c.acceptQualifiedName();
            } else if (c.accept("storage") || c.accept("compression")) {
                c.next();
            } else if (c.atWord("default") || c.atWord("not") || c.atWord("primary") || c.atWord("unique")
                    || c.atWord("check") || c.atWord("constraint")) {
                hasConstraint = true;
                c.next();
            } else if (c.skipGroup().isEmpty()) {
                c.next();
            }
        }
        return new ColumnDefinition(name, type, identity, hasConstraint, references, collate);
    }

    /** The value after {@code CACHE} among sequence options, or null if there is none. */
    static Long cacheOption(List<Token> options) {
        for (int i = 0; i + 1 < options.size(); i++) {
            if (options.get(i).isWord("cache")) {
                int j = i + 1;
                boolean negative = false;
                if (options.get(j).isOperator("-") || options.get(j).isOperator("+")) {
                    negative = options.get(j).isOperator("-");
                    j++;
                }
                if (j < options.size() && options.get(j).type() == TokenType.NUMBER) {
                    long v = parseLong(options.get(j).text());
                    return negative ? -v : v;
                }
            }
        }
        return null;
    }

    private static long parseLong(String number) {
        String digits = number.replace("_", "");
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            try {
                return (long) Double.parseDouble(digits);
            } catch (NumberFormatException e2) {
                return Long.MAX_VALUE;
            }
        }
    }

    /** Reads a type name with modifiers and array bounds. */
    static TypeRef typeName(TokenCursor c) {
        Token first = c.peek();
        if (first == null || !first.isName()) {
            return null;
        }
        String schema = null;
        String name = c.acceptName();
        if (c.atPunctuation('.') && c.peek(1) != null && c.peek(1).isName()) {
            c.next();
            schema = name;
            name = c.acceptName();
        }
        boolean floatPrecision = false;
        int precision = 0;
        if (first.type() == TokenType.WORD && schema == null) {
            switch (name) {
                case "double" -> {
                    if (c.accept("precision")) {
                        name = "double precision";
                    }
                }
                case "character", "char", "nchar" -> {
                    if (c.accept("varying")) {
                        name = name + " varying";
                    }
                }
                case "national" -> {
                    String second = c.acceptName();
                    name = "national " + second + (c.accept("varying") ? " varying" : "");
                }
                case "bit" -> {
                    if (c.accept("varying")) {
                        name = "bit varying";
                    }
                }
                case "float" -> {
                    if (c.atPunctuation('(') && c.peek(1) != null && c.peek(1).type() == TokenType.NUMBER) {
                        floatPrecision = true;
                        precision = (int) Math.min(Integer.MAX_VALUE, parseLong(c.peek(1).text()));
                    }
                }
                case "time", "timestamp" -> {
                    if (c.atPunctuation('(')) {
                        c.skipGroup();
                    }
                    if (c.accept("with", "time", "zone")) {
                        name = name + " with time zone";
                    } else if (c.accept("without", "time", "zone")) {
                        name = name + " without time zone";
                    }
                }
                case "interval" -> {
                    while (c.peek() != null && c.peek().type() == TokenType.WORD && Set.of("year", "month", "day",
                            "hour", "minute", "second", "to").contains(c.peek().value())) {
                        c.next();
                    }
                }
                default -> {
                }
            }
        }
        if (c.atPunctuation('(')) {
            c.skipGroup(); // type modifiers
        }
        boolean array = false;
        while (c.atPunctuation('[')) {
            c.skipGroup();
            array = true;
        }
        if (c.accept("array")) {
            array = true;
            c.skipGroup();
        }
        return floatPrecision ? TypeRef.floatWithPrecision(precision, array) : TypeRef.of(name, schema, array);
    }

    /**
     * {@code CREATE [UNIQUE] INDEX [ASYNC] [CONCURRENTLY] [[IF NOT EXISTS] name] ON [ONLY] table [USING m]
     * (elements) [INCLUDE (...)] [NULLS [NOT] DISTINCT] [WITH (...)] [TABLESPACE t] [WHERE predicate]}.
     * In DSQL {@code ASYNC} is a keyword, so {@code CREATE INDEX async ON t} is an unnamed async index.
     */
    private static void createIndex(TokenCursor c, StatementInfo.Builder b, boolean unique) {
        b.kind(StatementKind.DDL, "CREATE INDEX");
        Token asyncToken = c.atWord("async") ? c.next() : null;
        boolean concurrently = c.accept("concurrently");
        boolean ifNotExists = c.accept("if", "not", "exists");
        String name = c.atWord("on") ? null : c.acceptQualifiedName();
        if (!c.accept("on")) {
            return;
        }
        c.accept("only");
        int tableAt = c.position();
        String table = c.acceptQualifiedName();
        int afterTable = c.position();
        c.seek(tableAt);
        String quotedTable = c.acceptQualifiedNameQuoted();
        c.seek(afterTable);
        acceptStar(c);
        String method = c.accept("using") ? c.acceptName() : null;
        List<Token> elements = c.skipGroup();
        boolean expressions = false;
        boolean sortOrder = false;
        boolean opclass = false;
        List<List<Token>> keys = TokenCursor.splitTopLevel(elements, ',');
        for (List<Token> element : keys) {
            TokenCursor e = new TokenCursor(element);
            if (e.atPunctuation('(')) {
                expressions = true;
                e.skipGroup();
            } else if (e.peek(1) != null && e.peek(1).isPunctuation('(')) {
                expressions = true;
                e.next();
                e.skipGroup();
            } else if (e.peek(1) != null && e.peek(1).isPunctuation('.')) {
                expressions = true; // qualified function call such as public.f(x)
                e.acceptQualifiedName();
                e.skipGroup();
            } else {
                e.next();
            }
            while (!e.atEnd()) {
                if (e.accept("collate")) {
                    e.acceptQualifiedName();
                } else if (e.accept("asc") || e.accept("desc")) {
                    sortOrder = true;
                } else if (e.accept("nulls")) {
                    e.next();
                } else if (e.acceptQualifiedName() != null) {
                    opclass = true;
                    e.skipGroup();
                } else {
                    e.next();
                }
            }
        }
        boolean partial = TokenCursor.containsTopLevelWord(c.rest(), "where");
        b.index(new IndexFacts(name, table, quotedTable, unique, asyncToken != null, concurrently, ifNotExists, method, partial,
                expressions, sortOrder, opclass, keys.size(), asyncToken));
    }

    private static void createSequence(TokenCursor c, StatementInfo.Builder b) {
        c.accept("if", "not", "exists");
        String name = c.acceptQualifiedName();
        TypeRef asType = null;
        List<Token> options = c.rest();
        while (!c.atEnd()) {
            if (c.accept("as")) {
                asType = typeName(c);
            } else {
                c.next();
            }
        }
        b.sequence(new SequenceFacts(name, cacheOption(options), asType));
    }

    private static void createRoutine(TokenCursor c, StatementInfo.Builder b) {
        boolean procedure = c.accept("procedure");
        if (!procedure) {
            c.accept("function");
        }
        b.kind(StatementKind.DDL, procedure ? "CREATE PROCEDURE" : "CREATE FUNCTION").nodeTag("CreateFunction");
        c.acceptQualifiedName();
        c.skipGroup();
        List<Token> rest = c.rest();
        String language = null;
        int at = TokenCursor.indexOfTopLevelWord(rest, "language", 0);
        if (at >= 0 && at + 1 < rest.size()) {
            Token l = rest.get(at + 1);
            language = l.type() == TokenType.WORD ? l.value() : l.value().toLowerCase(Locale.ROOT);
        } else if (TokenCursor.containsTopLevelWord(rest, "atomic") || TokenCursor.containsTopLevelWord(rest,
                "return")) {
            language = "sql"; // SQL-standard body
        }
        b.routine(new RoutineFacts(procedure, language));
    }

    private static void createType(TokenCursor c, StatementInfo.Builder b) {
        c.acceptQualifiedName();
        if (c.accept("as")) {
            if (c.accept("enum")) {
                b.nodeTag("CreateEnum");
            } else if (c.accept("range")) {
                b.nodeTag("CreateRange");
            } else if (c.atPunctuation('(')) {
                b.nodeTag("CompositeType");
            }
        } else {
            b.nodeTag("Define"); // base type or shell type
        }
    }

    // ------------------------------------------------------------------ ALTER / DROP

    private static void alter(TokenCursor c, StatementInfo.Builder b) {
        c.accept("alter");
        Token object = c.peek();
        if (object == null || object.type() != TokenType.WORD) {
            return;
        }
        b.kind(StatementKind.DDL, "ALTER " + upper(object.value()));
        if (c.accept("table")) {
            alterTable(c, b);
        } else if (c.accept("system")) {
            b.kind(StatementKind.UTILITY, "ALTER SYSTEM").nodeTag("AlterSystem");
        } else if (c.accept("database")) {
            b.nodeTag("AlterDatabase");
        } else if (c.accept("type")) {
            c.acceptQualifiedName();
            b.objectType("TYPE");
            if (c.atWords("add", "value") || c.atWords("rename", "value")) {
                b.nodeTag("AlterEnum");
            } else if (c.atWord("rename")) {
                b.nodeTag("Rename");
            } else if (c.atWords("add", "value")) {
                b.nodeTag("AlterEnum");
            } else {
                b.nodeTag("AlterType");
            }
        }
    }

    private static void alterTable(TokenCursor c, StatementInfo.Builder b) {
        Token asyncToken = c.atWord("async") ? c.next() : null;
        c.accept("if", "exists");
        c.accept("only");
        String table = c.acceptQualifiedName();
        if (table == null) {
            return;
        }
        acceptStar(c);
        List<AlterTableAction> actions = new ArrayList<>();
        for (List<Token> part : TokenCursor.splitTopLevel(c.rest(), ',')) {
            actions.add(alterTableAction(new TokenCursor(part)));
        }
        b.alterTable(new AlterTableFacts(table, asyncToken != null, asyncToken, actions));
    }

    private static final Set<String> TABLE_CONSTRAINT_STARTS = Set.of("constraint", "primary", "unique", "check",
            "foreign", "exclude");

    private static AlterTableAction alterTableAction(TokenCursor c) {
        List<Token> all = c.rest();
        if (c.accept("add")) {
            Token next = c.peek();
            if (next != null && next.type() == TokenType.WORD && TABLE_CONSTRAINT_STARTS.contains(next.value())) {
                if (c.accept("constraint")) {
                    c.acceptName();
                }
                Token type = c.next();
                int valid = TokenCursor.indexOfTopLevelWord(all, "valid", 0);
                boolean notValid = valid > 0 && all.get(valid - 1).isWord("not");
                boolean usingIndex = false;
                int using = TokenCursor.indexOfTopLevelWord(all, "using", 0);
                if (using >= 0 && using + 1 < all.size() && all.get(using + 1).isWord("index")) {
                    usingIndex = true;
                }
                return new AlterTableAction(Action.ADD_CONSTRAINT, null, null,
                        type == null ? null : upper(type.value()), notValid, usingIndex);
            }
            c.accept("column");
            c.accept("if", "not", "exists");
            ColumnDefinition column = columnDefinition(c);
            return new AlterTableAction(Action.ADD_COLUMN, column == null ? null : column.name(), column, null,
                    false, false);
        }
        if (c.accept("drop")) {
            if (c.atWord("constraint")) {
                return other();
            }
            c.accept("column");
            c.accept("if", "exists");
            return new AlterTableAction(Action.DROP_COLUMN, c.acceptName(), null, null, false, false);
        }
        if (c.accept("alter")) {
            if (c.atWord("constraint")) {
                return other();
            }
            c.accept("column");
            String column = c.acceptName();
            if (c.atWord("type") || c.atWords("set", "data", "type")) {
                return new AlterTableAction(Action.ALTER_COLUMN_TYPE, column, null, null, false, false);
            }
            if (c.atWords("set", "statistics")) {
                return new AlterTableAction(Action.SET_STATISTICS, column, null, null, false, false);
            }
            if (c.atWords("set", "not", "null")) {
                return new AlterTableAction(Action.SET_NOT_NULL, column, null, null, false, false);
            }
            return other();
        }
        if (c.accept("validate", "constraint")) {
            return new AlterTableAction(Action.VALIDATE_CONSTRAINT, null, null, null, false, false);
        }
        return other();
    }

    private static AlterTableAction other() {
        return new AlterTableAction(Action.OTHER, null, null, null, false, false);
    }

    private static void drop(TokenCursor c, StatementInfo.Builder b) {
        c.accept("drop");
        StringBuilder object = new StringBuilder();
        while (!c.atEnd() && c.peek().type() == TokenType.WORD && !c.atWords("if", "exists")
                && object.length() < 40 && isObjectTypeWord(c.peek().value(), object.length() == 0)) {
            if (object.length() > 0) {
                object.append(' ');
            }
            object.append(upper(c.next().value()));
        }
        if (object.length() == 0) {
            return;
        }
        String type = object.toString();
        b.kind(StatementKind.DDL, "DROP " + type).objectType(type);
        if (type.equals("DATABASE")) {
            b.kind(StatementKind.UTILITY, "DROP DATABASE").nodeTag("Dropdb");
        }
    }

    private static final Set<String> OBJECT_TYPE_WORDS = Set.of("access", "method", "aggregate", "cast", "collation",
            "conversion", "database", "domain", "event", "trigger", "extension", "foreign", "data", "wrapper", "table",
            "function", "index", "language", "procedural", "materialized", "view", "operator", "class", "family",
            "owned", "policy", "procedure", "publication", "role", "routine", "rule", "schema", "sequence", "server",
            "statistics", "subscription", "tablespace", "text", "search", "configuration", "dictionary", "parser",
            "template", "transform", "type", "user", "mapping", "group");

    private static boolean isObjectTypeWord(String word, boolean first) {
        if (first) {
            return OBJECT_TYPE_WORDS.contains(word);
        }
        // Second and later words only for multi-word object types (MATERIALIZED VIEW, FOREIGN TABLE, ...).
        return Set.of("method", "trigger", "table", "data", "wrapper", "view", "class", "family", "search",
                "configuration", "dictionary", "parser", "template", "mapping").contains(word);
    }

    // ------------------------------------------------------------------ transactions and settings

    private static void transaction(TokenCursor c, StatementInfo.Builder b) {
        Token first = c.next();
        switch (first.value()) {
            case "begin" -> {
                b.kind(StatementKind.TRANSACTION_CONTROL, "BEGIN");
                isolation(c, b);
            }
            case "start" -> {
                if (c.accept("transaction")) {
                    b.kind(StatementKind.TRANSACTION_CONTROL, "START TRANSACTION");
                    isolation(c, b);
                }
            }
            case "commit", "end" -> b.kind(StatementKind.TRANSACTION_CONTROL,
                    c.atWord("prepared") ? "COMMIT PREPARED" : "COMMIT");
            case "rollback", "abort" -> {
                if (c.atWord("prepared")) {
                    b.kind(StatementKind.TRANSACTION_CONTROL, "ROLLBACK PREPARED");
                    return;
                }
                if (!c.accept("work")) {
                    c.accept("transaction");
                }
                boolean to = first.value().equals("rollback") && c.accept("to");
                b.kind(StatementKind.TRANSACTION_CONTROL, to ? "ROLLBACK TO" : "ROLLBACK");
            }
            case "savepoint" -> b.kind(StatementKind.TRANSACTION_CONTROL, "SAVEPOINT");
            case "release" -> b.kind(StatementKind.TRANSACTION_CONTROL, "RELEASE");
            default -> {
            }
        }
    }

    /** Reads {@code ISOLATION LEVEL x} among transaction modes. */
    private static void isolation(TokenCursor c, StatementInfo.Builder b) {
        List<Token> modes = c.rest();
        for (int i = 0; i + 2 < modes.size(); i++) {
            if (modes.get(i).isWord("isolation") && modes.get(i + 1).isWord("level")) {
                Token l1 = modes.get(i + 2);
                Token l2 = i + 3 < modes.size() ? modes.get(i + 3) : null;
                String level = upper(l1.value());
                if ((l1.isWord("read") || l1.isWord("repeatable")) && l2 != null && l2.type() == TokenType.WORD) {
                    level = level + " " + upper(l2.value());
                }
                b.isolationLevel(level);
                return;
            }
        }
    }

    private static void prepare(TokenCursor c, StatementInfo.Builder b) {
        c.accept("prepare");
        if (c.accept("transaction")) {
            b.kind(StatementKind.TRANSACTION_CONTROL, "PREPARE TRANSACTION");
        } else {
            b.kind(StatementKind.UTILITY, "PREPARE").nodeTag("Prepare");
        }
    }

    private static void deallocate(TokenCursor c, StatementInfo.Builder b) {
        c.accept("deallocate");
        c.accept("prepare");
        if (c.accept("all")) {
            b.kind(StatementKind.UTILITY, "DEALLOCATE ALL");
        } else {
            b.kind(StatementKind.UTILITY, "DEALLOCATE").nodeTag("Deallocate");
        }
    }

    private static void set(TokenCursor c, StatementInfo.Builder b, SqlStatement statement) {
        c.accept("set");
        b.kind(StatementKind.SET, "SET");
        if (c.accept("constraints")) {
            b.kind(StatementKind.SET, "SET CONSTRAINTS");
            return;
        }
        boolean local = false;
        if (c.atWords("session", "characteristics")) {
            c.accept("session", "characteristics");
            c.accept("as");
        } else if (!c.atWords("session", "authorization")) {
            if (c.accept("local")) {
                local = true;
            } else {
                c.accept("session");
            }
        }
        String parameter;
        if (c.accept("transaction")) {
            b.kind(StatementKind.SET, "SET TRANSACTION");
            isolation(c, b);
            b.set(new SetFacts("TRANSACTION", local, false, null));
            return;
        } else if (c.accept("time", "zone")) {
            parameter = "timezone";
        } else if (c.accept("names")) {
            parameter = "client_encoding";
        } else if (c.accept("schema")) {
            parameter = "search_path";
        } else if (c.accept("role")) {
            parameter = "role";
        } else if (c.accept("session", "authorization")) {
            parameter = "session_authorization";
        } else if (c.accept("xml", "option")) {
            parameter = "xmloption";
        } else {
            parameter = c.acceptQualifiedName();
            if (parameter == null) {
                b.kind(StatementKind.UNKNOWN, "");
                return;
            }
            boolean assigned = c.accept("to");
            if (!assigned && c.peek() != null && c.peek().isOperator("=")) {
                c.next();
                assigned = true;
            }
            if (!assigned && !c.atWords("from", "current")) {
                b.kind(StatementKind.UNKNOWN, "");
                return;
            }
        }
        b.set(new SetFacts(parameter, local, false, settingValue(c.rest(), statement)));
    }

    /** A lone literal's content, DEFAULT as null, anything else as written ({@code -1}, {@code a, b}). */
    private static String settingValue(List<Token> value, SqlStatement statement) {
        if (value.isEmpty() || (value.size() == 1 && value.get(0).isWord("default"))) {
            return null;
        }
        if (value.size() == 1) {
            return value.get(0).value();
        }
        int from = value.get(0).start() - statement.start();
        int to = value.get(value.size() - 1).end() - statement.start();
        return statement.text().substring(from, to);
    }

    private static void reset(TokenCursor c, StatementInfo.Builder b) {
        c.accept("reset");
        b.kind(StatementKind.SET, "RESET");
        String parameter;
        if (c.accept("time", "zone")) {
            parameter = "timezone";
        } else if (c.accept("session", "authorization")) {
            parameter = "session_authorization";
        } else if (c.accept("transaction", "isolation", "level")) {
            parameter = "transaction_isolation";
        } else {
            parameter = c.acceptQualifiedName();
        }
        if (parameter == null) {
            b.kind(StatementKind.UNKNOWN, "");
            return;
        }
        b.set(new SetFacts(parameter, false, true, null));
    }

    private static void show(TokenCursor c, StatementInfo.Builder b) {
        c.accept("show");
        b.kind(StatementKind.SHOW, "SHOW");
        String parameter;
        if (c.accept("time", "zone")) {
            parameter = "timezone";
        } else if (c.accept("transaction", "isolation", "level")) {
            parameter = "transaction_isolation";
        } else if (c.accept("session", "authorization")) {
            parameter = "session_authorization";
        } else {
            parameter = c.acceptQualifiedName();
        }
        b.show(parameter);
    }

    // ------------------------------------------------------------------ utilities

    private static void explain(TokenCursor c, StatementInfo.Builder b, SqlStatement statement) {
        c.accept("explain");
        boolean analyze = false;
        List<Token> options = c.skipGroup();
        if (!options.isEmpty()) {
            for (List<Token> option : TokenCursor.splitTopLevel(options, ',')) {
                if (!option.isEmpty() && (option.get(0).isWord("analyze") || option.get(0).isWord("analyse"))) {
                    analyze = option.size() == 1 || !(option.get(1).isWord("false") || option.get(1).isWord("off")
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
        SqlStatement innerStatement = new SqlStatement(statement.text().substring(from),
                inner.get(0).start(), inner, true);
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
        boolean queryLike = kind == StatementKind.QUERY || kind == StatementKind.DML
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
        if (kind == StatementKind.QUERY && (b.locking().contains(LockingClause.FOR_UPDATE)
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
        if (i + 2 < t.size() && t.get(i).isWord("no") && t.get(i + 1).isWord("key") && t.get(i + 2).isWord("update")) {
            return LockingClause.FOR_NO_KEY_UPDATE;
        }
        return null;
    }

    private static java.util.Optional<FunctionCall> functionCall(List<Token> tokens, int i) {
        Token name = tokens.get(i);
        if (name.type() == TokenType.WORD && NOT_FUNCTIONS.contains(name.value())) {
            return java.util.Optional.empty();
        }
        String schema = null;
        int before = i - 1;
        if (before >= 1 && tokens.get(before).isPunctuation('.') && tokens.get(before - 1).isName()) {
            schema = tokens.get(before - 1).value();
            before -= 2;
        }
        if (before >= 0 && tokens.get(before).type() == TokenType.WORD
                && OBJECT_NAME_CONTEXT.contains(tokens.get(before).value())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new FunctionCall(schema, name.value()));
    }

    private static void acceptStar(TokenCursor c) {
        if (c.peek() != null && c.peek().isOperator("*")) {
            c.next();
        }
    }

    private static String upper(String word) {
        return word.toUpperCase(Locale.ROOT);
    }
}
