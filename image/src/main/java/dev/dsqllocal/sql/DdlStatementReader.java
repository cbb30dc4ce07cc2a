package dev.dsqllocal.sql;

import dev.dsqllocal.sql.StatementInfo.AlterTableAction;
import dev.dsqllocal.sql.StatementInfo.AlterTableAction.Action;
import dev.dsqllocal.sql.StatementInfo.AlterTableFacts;
import dev.dsqllocal.sql.StatementInfo.ColumnDefinition;
import dev.dsqllocal.sql.StatementInfo.IndexFacts;
import dev.dsqllocal.sql.StatementInfo.RoutineFacts;
import dev.dsqllocal.sql.StatementInfo.SequenceFacts;
import dev.dsqllocal.sql.StatementInfo.TableFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads CREATE, ALTER and DROP statements for {@link StatementClassifier}. */
final class DdlStatementReader {

    private DdlStatementReader() {}

    // ------------------------------------------------------------------ CREATE

    static void create(TokenCursor c, StatementInfo.Builder b) {
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
        b.kind(StatementKind.DDL, "CREATE " + TokenCursor.upper(object.value()));
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

    static void createTable(TokenCursor c, StatementInfo.Builder b, boolean temporary, boolean unlogged) {
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
            if (head.type() == TokenType.WORD
                    && Set.of("constraint", "primary", "unique", "check", "foreign", "exclude", "like")
                            .contains(head.value())) {
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
                    maxKeyColumns = Math.max(
                            maxKeyColumns,
                            TokenCursor.splitTopLevel(k.skipGroup(), ',').size());
                }
                continue;
            }
            primaryKey |= TokenCursor.containsTopLevelWord(element, "primary");
            ColumnDefinition column = ColumnDefinitionReader.columnDefinition(new TokenCursor(element));
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
        b.table(new TableFacts(
                name,
                temporary,
                unlogged,
                TokenCursor.containsTopLevelWord(tail, "inherits"),
                TokenCursor.indexOfTopLevelWord(tail, "partition", 0) >= 0
                        && TokenCursor.containsTopLevelWord(tail, "by"),
                partitionOf,
                TokenCursor.containsTopLevelWord(tail, "tablespace"),
                storageParameters,
                typed,
                foreignKeys,
                collate,
                primaryKey,
                maxKeyColumns,
                columns));
    }

    /**
     * {@code CREATE [UNIQUE] INDEX [ASYNC] [CONCURRENTLY] [[IF NOT EXISTS] name] ON [ONLY] table [USING m]
     * (elements) [INCLUDE (...)] [NULLS [NOT] DISTINCT] [WITH (...)] [TABLESPACE t] [WHERE predicate]}.
     * In DSQL {@code ASYNC} is a keyword, so {@code CREATE INDEX async ON t} is an unnamed async index.
     */
    static void createIndex(TokenCursor c, StatementInfo.Builder b, boolean unique) {
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
        c.acceptOperator("*");
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
        b.index(new IndexFacts(
                name,
                table,
                quotedTable,
                unique,
                asyncToken != null,
                concurrently,
                ifNotExists,
                method,
                partial,
                expressions,
                sortOrder,
                opclass,
                keys.size(),
                asyncToken));
    }

    static void createSequence(TokenCursor c, StatementInfo.Builder b) {
        c.accept("if", "not", "exists");
        String name = c.acceptQualifiedName();
        TypeRef asType = null;
        List<Token> options = c.rest();
        while (!c.atEnd()) {
            if (c.accept("as")) {
                asType = ColumnDefinitionReader.typeName(c);
            } else {
                c.next();
            }
        }
        b.sequence(new SequenceFacts(name, ColumnDefinitionReader.cacheOption(options), asType));
    }

    static void createRoutine(TokenCursor c, StatementInfo.Builder b) {
        boolean procedure = c.accept("procedure");
        if (!procedure) {
            c.accept("function");
        }
        b.kind(StatementKind.DDL, procedure ? "CREATE PROCEDURE" : "CREATE FUNCTION")
                .nodeTag("CreateFunction");
        c.acceptQualifiedName();
        c.skipGroup();
        List<Token> rest = c.rest();
        String language = null;
        int at = TokenCursor.indexOfTopLevelWord(rest, "language", 0);
        if (at >= 0 && at + 1 < rest.size()) {
            Token l = rest.get(at + 1);
            language = l.type() == TokenType.WORD ? l.value() : l.value().toLowerCase(Locale.ROOT);
        } else if (TokenCursor.containsTopLevelWord(rest, "atomic")
                || TokenCursor.containsTopLevelWord(rest, "return")) {
            language = "sql"; // SQL-standard body
        }
        b.routine(new RoutineFacts(procedure, language));
    }

    static void createType(TokenCursor c, StatementInfo.Builder b) {
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

    static void alter(TokenCursor c, StatementInfo.Builder b) {
        c.accept("alter");
        Token object = c.peek();
        if (object == null || object.type() != TokenType.WORD) {
            return;
        }
        b.kind(StatementKind.DDL, "ALTER " + TokenCursor.upper(object.value()));
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

    static void alterTable(TokenCursor c, StatementInfo.Builder b) {
        Token asyncToken = c.atWord("async") ? c.next() : null;
        c.accept("if", "exists");
        c.accept("only");
        int tableAt = c.position();
        String table = c.acceptQualifiedName();
        if (table == null) {
            return;
        }
        int afterTable = c.position();
        c.seek(tableAt);
        String quotedTable = c.acceptQualifiedNameQuoted();
        c.seek(afterTable);
        c.acceptOperator("*");
        List<AlterTableAction> actions = new ArrayList<>();
        for (List<Token> part : TokenCursor.splitTopLevel(c.rest(), ',')) {
            actions.add(alterTableAction(new TokenCursor(part)));
        }
        b.alterTable(new AlterTableFacts(table, quotedTable, asyncToken != null, asyncToken, actions));
    }

    private static final Set<String> TABLE_CONSTRAINT_STARTS =
            Set.of("constraint", "primary", "unique", "check", "foreign", "exclude");

    static AlterTableAction alterTableAction(TokenCursor c) {
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
                return new AlterTableAction(
                        Action.ADD_CONSTRAINT,
                        null,
                        null,
                        type == null ? null : TokenCursor.upper(type.value()),
                        notValid,
                        usingIndex);
            }
            c.accept("column");
            c.accept("if", "not", "exists");
            ColumnDefinition column = ColumnDefinitionReader.columnDefinition(c);
            return new AlterTableAction(
                    Action.ADD_COLUMN, column == null ? null : column.name(), column, null, false, false);
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

    static AlterTableAction other() {
        return new AlterTableAction(Action.OTHER, null, null, null, false, false);
    }

    static void drop(TokenCursor c, StatementInfo.Builder b) {
        c.accept("drop");
        StringBuilder object = new StringBuilder();
        while (!c.atEnd()
                && c.peek().type() == TokenType.WORD
                && !c.atWords("if", "exists")
                && object.length() < 40
                && isObjectTypeWord(c.peek().value(), object.length() == 0)) {
            if (object.length() > 0) {
                object.append(' ');
            }
            object.append(TokenCursor.upper(c.next().value()));
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

    private static final Set<String> OBJECT_TYPE_WORDS = Set.of(
            "access",
            "method",
            "aggregate",
            "cast",
            "collation",
            "conversion",
            "database",
            "domain",
            "event",
            "trigger",
            "extension",
            "foreign",
            "data",
            "wrapper",
            "table",
            "function",
            "index",
            "language",
            "procedural",
            "materialized",
            "view",
            "operator",
            "class",
            "family",
            "owned",
            "policy",
            "procedure",
            "publication",
            "role",
            "routine",
            "rule",
            "schema",
            "sequence",
            "server",
            "statistics",
            "subscription",
            "tablespace",
            "text",
            "search",
            "configuration",
            "dictionary",
            "parser",
            "template",
            "transform",
            "type",
            "user",
            "mapping",
            "group");

    private static boolean isObjectTypeWord(String word, boolean first) {
        if (first) {
            return OBJECT_TYPE_WORDS.contains(word);
        }
        // Second and later words only for multi-word object types (MATERIALIZED VIEW, FOREIGN TABLE, ...).
        return Set.of(
                        "method",
                        "trigger",
                        "table",
                        "data",
                        "wrapper",
                        "view",
                        "class",
                        "family",
                        "search",
                        "configuration",
                        "dictionary",
                        "parser",
                        "template",
                        "mapping")
                .contains(word);
    }
}
