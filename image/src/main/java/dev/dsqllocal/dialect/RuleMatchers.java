package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementInfo.AlterTableAction;
import dev.dsqllocal.sql.StatementInfo.AlterTableAction.Action;
import dev.dsqllocal.sql.StatementInfo.ColumnDefinition;
import dev.dsqllocal.sql.StatementInfo.IndexFacts;
import dev.dsqllocal.sql.StatementInfo.LockingClause;
import dev.dsqllocal.sql.StatementInfo.SetFacts;
import dev.dsqllocal.sql.StatementInfo.TableFacts;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The named predicates a rule of {@code dialect/rules.json} refers to by {@code match}. A predicate only
 * recognises a shape of statement from what the classifier understood; whether DSQL refuses it, since when, and
 * with which SQLSTATE and message is the rule's data. Each predicate answers the arguments for the rule's message
 * placeholders when it matches. Predicates that take a subject list (node tags, commands, types, functions,
 * parameters, clauses) read it from the rule, so widening a family is an edit of the table only.
 */
public final class RuleMatchers {

    /** Recognises the subject, answering the message arguments, or empty when it does not apply. */
    @FunctionalInterface
    public interface RuleMatcher {
        Optional<Map<String, String>> match(RuleSubject subject, DialectRule rule);
    }

    /*
     * What a statement has, as bits: a predicate that needs facts the statement lacks cannot match and is not
     * asked (most statements are plain DML, which skip every CREATE/ALTER rule at the cost of one bit test).
     */
    static final int ANY = 0;
    static final int TABLE = 1;
    static final int INDEX = 1 << 1;
    static final int SEQUENCE = 1 << 2;
    static final int ALTER_TABLE = 1 << 3;
    static final int ROUTINE = 1 << 4;
    static final int SET_OR_RESET = 1 << 5;
    static final int SHOW = 1 << 6;
    static final int COPY = 1 << 7;
    static final int LOCKING = 1 << 8;
    static final int TABLESAMPLE = 1 << 9;

    private static final Optional<Map<String, String>> MATCH = Optional.of(Map.of());
    private static final Set<String> TRANSACTION_STARTS = Set.of("BEGIN", "START TRANSACTION", "SET TRANSACTION");
    private static final Map<String, Integer> NEEDS = new java.util.HashMap<>();
    private static final Map<String, RuleMatcher> MATCHERS = Collections.unmodifiableMap(registry());

    private RuleMatchers() {}

    /** The predicate registered under {@code name}. */
    public static Optional<RuleMatcher> named(String name) {
        return Optional.ofNullable(MATCHERS.get(name));
    }

    public static Set<String> names() {
        return MATCHERS.keySet();
    }

    /** The facts (bits) a predicate needs at least one of, or 0 when it can match any statement. */
    static int needs(String name) {
        return NEEDS.getOrDefault(name, 0);
    }

    /** The facts (bits) a statement has. */
    static int factsOf(StatementInfo info) {
        String command = info.command();
        return (info.table().isPresent() ? TABLE : 0)
                | (info.index().isPresent() ? INDEX : 0)
                | (info.sequence().isPresent() ? SEQUENCE : 0)
                | (info.alterTable().isPresent() ? ALTER_TABLE : 0)
                | (info.routine().isPresent() ? ROUTINE : 0)
                | (command.equals("SET") || command.equals("RESET") ? SET_OR_RESET : 0)
                | (command.equals("SHOW") ? SHOW : 0)
                | (info.copy().isPresent() ? COPY : 0)
                | (info.lockingClauses().isEmpty() ? 0 : LOCKING)
                | (info.tableSample() ? TABLESAMPLE : 0);
    }

    private static Map<String, RuleMatcher> registry() {
        Map<String, RuleMatcher> m = new LinkedHashMap<>();
        // --- statements, by what they are
        put(m, "node-tag", ANY, (s, r) -> s.info().nodeTag().filter(r::covers).map(tag -> Map.of("tag", tag)));
        put(
                m,
                "command",
                ANY,
                (s, r) -> r.covers(s.info().command())
                        ? Optional.of(Map.of("command", s.info().command()))
                        : Optional.empty());
        put(
                m,
                "type-rename",
                ANY,
                (s, r) -> when(s.info().command().equals("ALTER TYPE")
                        && s.info().nodeTag().filter("Rename"::equals).isPresent()));
        put(
                m,
                "type-alter",
                ANY,
                (s, r) -> when(s.info().command().equals("ALTER TYPE")
                        && s.info().nodeTag().filter("Rename"::equals).isEmpty()));
        put(
                m,
                "isolation-level",
                ANY,
                (s, r) -> TRANSACTION_STARTS.contains(s.info().command())
                        ? s.info()
                                .isolationLevel()
                                .filter(l -> !l.equals("REPEATABLE READ"))
                                .map(l -> Map.of("level", l))
                        : Optional.empty());
        put(
                m,
                "parameter-not-settable",
                SET_OR_RESET,
                (s, r) -> setOrReset(s)
                        .filter(p -> !s.rules().isSettable(p.parameter()))
                        .map(p -> Map.of("name", p.parameter())));
        put(
                m,
                "parameter-local-only",
                SET_OR_RESET,
                (s, r) -> setOrReset(s)
                        .filter(p -> s.rules().isSettable(p.parameter())
                                && s.rules().isLocalOnly(p.parameter())
                                && !(p.local() && s.session().inTransactionBlock()))
                        .map(p -> Map.of("name", p.parameter())));
        put(
                m,
                "show-parameter",
                SHOW,
                (s, r) -> s.info().command().equals("SHOW")
                        ? s.info().showParameter().filter(r::covers).map(p -> Map.of("name", p))
                        : Optional.empty());
        put(
                m,
                "copy-server-file",
                COPY,
                (s, r) -> when(s.info().copy().filter(c -> !c.clientSide()).isPresent()));
        put(
                m,
                "routine-procedure",
                ROUTINE,
                (s, r) -> when(s.info().routine().filter(x -> x.procedure()).isPresent()));
        put(
                m,
                "routine-language",
                ROUTINE,
                (s, r) -> s.info()
                        .routine()
                        .filter(x -> !x.procedure()
                                && x.language() != null
                                && !x.language().equals("sql"))
                        .map(x -> Map.of("language", x.language())));
        // --- CREATE TABLE
        table(m, "table-temporary", TableFacts::temporary);
        table(m, "table-unlogged", TableFacts::unlogged);
        table(m, "table-partition-of", TableFacts::partitionOf);
        put(
                m,
                "table-columns",
                TABLE,
                (s, r) -> when(s.info()
                        .table()
                        .filter(t -> !t.primaryKey() && t.columns().size() > s.limit(DialectLimit.COLUMNS_PER_TABLE))
                        .isPresent()));
        put(
                m,
                "table-columns-with-primary-key",
                TABLE,
                (s, r) -> when(s.info()
                        .table()
                        .filter(t -> t.primaryKey() && t.columns().size() > s.limit(DialectLimit.COLUMNS_PER_TABLE))
                        .isPresent()));
        put(m, "key-columns", TABLE | INDEX, (s, r) -> {
            long max = s.limit(DialectLimit.KEY_COLUMNS);
            return when(s.info().table().filter(t -> t.maxKeyColumns() > max).isPresent()
                    || s.info().index().filter(i -> i.keyColumns() > max).isPresent());
        });
        table(m, "table-collate", TableFacts::collate);
        table(m, "table-inherits", TableFacts::inherits);
        table(m, "table-partitioned", TableFacts::partitioned);
        table(m, "table-storage-parameters", TableFacts::storageParameters);
        table(m, "table-tablespace", TableFacts::tablespace);
        put(
                m,
                "foreign-key",
                TABLE | ALTER_TABLE,
                (s, r) -> when(s.info().table().filter(TableFacts::foreignKeys).isPresent()
                        || s.info()
                                .alterTable()
                                .filter(a -> a.actions().stream().anyMatch(RuleMatchers::addsForeignKey))
                                .isPresent()));
        // --- columns (each column CREATE TABLE defines or ALTER TABLE adds)
        put(
                m,
                "column-serial",
                ANY,
                (s, r) -> column(s)
                        .filter(c -> c.type().isSerial())
                        .map(c -> Map.of("type", c.type().written())));
        put(
                m,
                "column-array",
                ANY,
                (s, r) -> column(s)
                        .filter(c -> c.type().array())
                        .map(c -> Map.of("type", c.type().messageName())));
        put(
                m,
                "column-type",
                ANY,
                (s, r) -> column(s)
                        .filter(c ->
                                c.type().schema() == null || c.type().schema().equals("pg_catalog"))
                        .filter(c -> r.covers(c.type().displayName()))
                        .map(c -> Map.of("type", c.type().displayName())));
        put(
                m,
                "identity-cache",
                ANY,
                (s, r) -> when(identity(s)
                        .filter(c -> !cacheAllowed(c.identity().cache(), s))
                        .isPresent()));
        put(
                m,
                "identity-type",
                ANY,
                (s, r) -> identity(s)
                        .filter(c -> !c.type().displayName().equals("bigint"))
                        .map(c -> Map.of("type", c.type().messageName())));
        // --- CREATE SEQUENCE
        put(
                m,
                "sequence-cache",
                SEQUENCE,
                (s, r) -> when(s.info()
                        .sequence()
                        .filter(q -> !cacheAllowed(q.cache(), s))
                        .isPresent()));
        put(
                m,
                "sequence-type",
                SEQUENCE,
                (s, r) -> s.info()
                        .sequence()
                        .filter(q ->
                                q.asType() != null && !q.asType().displayName().equals("bigint"))
                        .map(q -> Map.of("type", q.asType().messageName())));
        // --- CREATE INDEX
        index(m, "index-concurrently", IndexFacts::concurrently);
        put(
                m,
                "index-synchronous-disabled",
                INDEX,
                (s, r) -> when(s.info()
                        .index()
                        .filter(i ->
                                !i.concurrently() && !i.async() && s.session().syncCreateIndexDisabled())
                        .isPresent()));
        put(
                m,
                "index-method",
                INDEX,
                (s, r) -> s.info()
                        .index()
                        .filter(i -> i.method() != null
                                && !i.method().equals("btree")
                                && !i.method().equals("btree_index"))
                        .map(i -> Map.of("method", i.method())));
        index(m, "index-sort-order", IndexFacts::hasSortOrder);
        index(m, "index-opclass", IndexFacts::hasOpclass);
        index(m, "index-expressions", IndexFacts::hasExpressions);
        index(m, "index-partial", IndexFacts::partial);
        // --- ALTER TABLE actions
        action(
                m,
                "add-column-constraint",
                a -> a.action() == Action.ADD_COLUMN
                        && a.addedColumn() != null
                        && a.addedColumn().hasConstraint());
        action(m, "drop-column", a -> a.action() == Action.DROP_COLUMN);
        action(m, "alter-column-type", a -> a.action() == Action.ALTER_COLUMN_TYPE);
        action(m, "set-statistics", a -> a.action() == Action.SET_STATISTICS);
        action(m, "set-not-null", a -> a.action() == Action.SET_NOT_NULL);
        // PRIMARY KEY / UNIQUE only over an existing index; CHECK and FOREIGN KEY only NOT VALID.
        action(
                m,
                "add-constraint",
                a -> a.action() == Action.ADD_CONSTRAINT && (keyConstraint(a) ? !a.usingIndex() : !a.notValid()));
        action(
                m,
                "add-constraint-not-valid",
                a -> a.action() == Action.ADD_CONSTRAINT && !keyConstraint(a) && a.notValid());
        put(
                m,
                "validate-constraint",
                ANY,
                (s, r) -> when(
                        s.action() != null && s.action().action() == Action.VALIDATE_CONSTRAINT && !s.asyncAlter()));
        put(
                m,
                "validate-constraint-async",
                ANY,
                (s, r) -> when(
                        s.action() != null && s.action().action() == Action.VALIDATE_CONSTRAINT && s.asyncAlter()));
        // --- inside queries
        put(m, "locking-clause", LOCKING, (s, r) -> {
            for (LockingClause clause : LockingClause.values()) {
                if (s.info().lockingClauses().contains(clause) && r.covers(clause.name())) {
                    return MATCH;
                }
            }
            return Optional.empty();
        });
        put(m, "tablesample", TABLESAMPLE, (s, r) -> when(s.info().tableSample()));
        put(
                m,
                "function",
                ANY,
                (s, r) -> Optional.ofNullable(s.call())
                        .filter(c -> c.schema() == null || c.schema().equals("pg_catalog"))
                        .filter(c -> r.covers(c.name()))
                        .map(c -> Map.of("name", c.name())));
        put(
                m,
                "type-cast",
                ANY,
                (s, r) -> TypeCasts.firstTarget(s.info().statement(), r::covers).map(type -> Map.of("type", type)));
        return m;
    }

    /** Registers a predicate with the facts it needs one of ({@link #ANY}: none). */
    private static void put(Map<String, RuleMatcher> m, String name, int needs, RuleMatcher matcher) {
        if (m.put(name, matcher) != null) {
            throw new IllegalStateException("two predicates named " + name);
        }
        if (needs != ANY) {
            NEEDS.put(name, needs);
        }
    }

    private static Optional<Map<String, String>> when(boolean matches) {
        return matches ? MATCH : Optional.empty();
    }

    private static void table(Map<String, RuleMatcher> m, String name, Predicate<TableFacts> test) {
        put(m, name, TABLE, (s, r) -> when(s.info().table().filter(test).isPresent()));
    }

    private static void index(Map<String, RuleMatcher> m, String name, Predicate<IndexFacts> test) {
        put(m, name, INDEX, (s, r) -> when(s.info().index().filter(test).isPresent()));
    }

    private static void action(Map<String, RuleMatcher> m, String name, Predicate<AlterTableAction> test) {
        put(m, name, ANY, (s, r) -> when(s.action() != null && test.test(s.action())));
    }

    private static Optional<SetFacts> setOrReset(RuleSubject s) {
        String command = s.info().command();
        if (!command.equals("SET") && !command.equals("RESET")) {
            return Optional.empty();
        }
        // RESET ALL only touches what may be set anyway
        return s.info().set().filter(p -> !(p.reset() && p.parameter().equals("all")));
    }

    private static Optional<ColumnDefinition> column(RuleSubject s) {
        return Optional.ofNullable(s.column());
    }

    /** Identity columns are checked where CREATE TABLE defines them. */
    private static Optional<ColumnDefinition> identity(RuleSubject s) {
        return column(s).filter(c -> s.definedByCreateTable() && c.identity() != null);
    }

    private static boolean cacheAllowed(Long cache, RuleSubject s) {
        return cache != null && (cache == 1 || cache >= s.limit(DialectLimit.MIN_LARGE_CACHE_SIZE));
    }

    private static boolean keyConstraint(AlterTableAction a) {
        String type = a.constraintType() == null ? "" : a.constraintType();
        return type.equals("PRIMARY") || type.equals("UNIQUE");
    }

    static boolean addsForeignKey(AlterTableAction a) {
        return a.action() == Action.ADD_CONSTRAINT && "FOREIGN".equals(a.constraintType());
    }
}
