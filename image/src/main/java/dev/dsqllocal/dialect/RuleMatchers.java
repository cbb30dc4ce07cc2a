package dev.dsqllocal.dialect;

import dev.dsqllocal.dialect.StatementInfo.AlterTableAction;
import dev.dsqllocal.dialect.StatementInfo.AlterTableAction.Action;
import dev.dsqllocal.dialect.StatementInfo.ColumnDefinition;
import dev.dsqllocal.dialect.StatementInfo.IndexFacts;
import dev.dsqllocal.dialect.StatementInfo.LockingClause;
import dev.dsqllocal.dialect.StatementInfo.SetFacts;
import dev.dsqllocal.dialect.StatementInfo.TableFacts;

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

    private static final Optional<Map<String, String>> MATCH = Optional.of(Map.of());
    private static final Map<String, RuleMatcher> MATCHERS = Collections.unmodifiableMap(registry());

    private RuleMatchers() {
    }

    /** The predicate registered under {@code name}. */
    public static Optional<RuleMatcher> named(String name) {
        return Optional.ofNullable(MATCHERS.get(name));
    }

    public static Set<String> names() {
        return MATCHERS.keySet();
    }

    private static Map<String, RuleMatcher> registry() {
        Map<String, RuleMatcher> m = new LinkedHashMap<>();
        // --- statements, by what they are
        m.put("node-tag", (s, r) -> s.info().nodeTag().filter(r::covers).map(tag -> Map.of("tag", tag)));
        m.put("command", (s, r) -> r.covers(s.info().command()) ? Optional.of(Map.of("command", s.info().command()))
                : Optional.empty());
        m.put("type-rename", (s, r) -> when(s.info().command().equals("ALTER TYPE")
                && s.info().nodeTag().filter("Rename"::equals).isPresent()));
        m.put("type-alter", (s, r) -> when(s.info().command().equals("ALTER TYPE")
                && s.info().nodeTag().filter("Rename"::equals).isEmpty()));
        m.put("isolation-level", (s, r) -> Set.of("BEGIN", "START TRANSACTION", "SET TRANSACTION")
                .contains(s.info().command()) ? s.info().isolationLevel().filter(l -> !l.equals("REPEATABLE READ"))
                .map(level -> Map.of("level", level)) : Optional.empty());
        m.put("parameter-not-settable", (s, r) -> setOrReset(s)
                .filter(p -> !s.rules().isSettable(p.parameter())).map(p -> Map.of("name", p.parameter())));
        m.put("parameter-local-only", (s, r) -> setOrReset(s)
                .filter(p -> s.rules().isSettable(p.parameter()) && s.rules().isLocalOnly(p.parameter())
                        && !(p.local() && s.session().inTransactionBlock()))
                .map(p -> Map.of("name", p.parameter())));
        m.put("show-parameter", (s, r) -> s.info().command().equals("SHOW")
                ? s.info().showParameter().filter(r::covers).map(p -> Map.of("name", p)) : Optional.empty());
        m.put("copy-server-file", (s, r) -> when(s.info().copy().filter(c -> !c.clientSide()).isPresent()));
        m.put("routine-procedure", (s, r) -> when(s.info().routine().filter(x -> x.procedure()).isPresent()));
        m.put("routine-language", (s, r) -> s.info().routine()
                .filter(x -> !x.procedure() && x.language() != null && !x.language().equals("sql"))
                .map(x -> Map.of("language", x.language())));
        // --- CREATE TABLE
        table(m, "table-temporary", TableFacts::temporary);
        table(m, "table-unlogged", TableFacts::unlogged);
        table(m, "table-partition-of", TableFacts::partitionOf);
        m.put("table-columns", (s, r) -> when(s.info().table().filter(t -> !t.primaryKey()
                && t.columns().size() > s.limit(DialectLimit.COLUMNS_PER_TABLE)).isPresent()));
        m.put("table-columns-with-primary-key", (s, r) -> when(s.info().table().filter(t -> t.primaryKey()
                && t.columns().size() > s.limit(DialectLimit.COLUMNS_PER_TABLE)).isPresent()));
        m.put("key-columns", (s, r) -> {
            long max = s.limit(DialectLimit.KEY_COLUMNS);
            return when(s.info().table().filter(t -> t.maxKeyColumns() > max).isPresent()
                    || s.info().index().filter(i -> i.keyColumns() > max).isPresent());
        });
        table(m, "table-collate", TableFacts::collate);
        table(m, "table-inherits", TableFacts::inherits);
        table(m, "table-partitioned", TableFacts::partitioned);
        table(m, "table-storage-parameters", TableFacts::storageParameters);
        table(m, "table-tablespace", TableFacts::tablespace);
        m.put("foreign-key", (s, r) -> when(s.info().table().filter(TableFacts::foreignKeys).isPresent()
                || s.info().alterTable().filter(a -> a.actions().stream().anyMatch(RuleMatchers::addsForeignKey))
                .isPresent()));
        // --- columns (each column CREATE TABLE defines or ALTER TABLE adds)
        m.put("column-serial", (s, r) -> column(s).filter(c -> c.type().isSerial())
                .map(c -> Map.of("type", c.type().written())));
        m.put("column-array", (s, r) -> column(s).filter(c -> c.type().array())
                .map(c -> Map.of("type", c.type().messageName())));
        m.put("column-type", (s, r) -> column(s)
                .filter(c -> c.type().schema() == null || c.type().schema().equals("pg_catalog"))
                .filter(c -> r.covers(c.type().displayName())).map(c -> Map.of("type", c.type().displayName())));
        m.put("identity-cache", (s, r) -> when(identity(s)
                .filter(c -> !cacheAllowed(c.identity().cache(), s)).isPresent()));
        m.put("identity-type", (s, r) -> identity(s).filter(c -> !c.type().displayName().equals("bigint"))
                .map(c -> Map.of("type", c.type().messageName())));
        // --- CREATE SEQUENCE
        m.put("sequence-cache", (s, r) -> when(s.info().sequence()
                .filter(q -> !cacheAllowed(q.cache(), s)).isPresent()));
        m.put("sequence-type", (s, r) -> s.info().sequence()
                .filter(q -> q.asType() != null && !q.asType().displayName().equals("bigint"))
                .map(q -> Map.of("type", q.asType().messageName())));
        // --- CREATE INDEX
        index(m, "index-concurrently", IndexFacts::concurrently);
        m.put("index-synchronous-disabled", (s, r) -> when(s.info().index()
                .filter(i -> !i.concurrently() && !i.async() && s.session().syncCreateIndexDisabled()).isPresent()));
        m.put("index-method", (s, r) -> s.info().index()
                .filter(i -> i.method() != null && !i.method().equals("btree") && !i.method().equals("btree_index"))
                .map(i -> Map.of("method", i.method())));
        index(m, "index-sort-order", IndexFacts::hasSortOrder);
        index(m, "index-opclass", IndexFacts::hasOpclass);
        index(m, "index-expressions", IndexFacts::hasExpressions);
        index(m, "index-partial", IndexFacts::partial);
        // --- ALTER TABLE actions
        action(m, "add-column-constraint", a -> a.action() == Action.ADD_COLUMN && a.addedColumn() != null
                && a.addedColumn().hasConstraint());
        action(m, "drop-column", a -> a.action() == Action.DROP_COLUMN);
        action(m, "alter-column-type", a -> a.action() == Action.ALTER_COLUMN_TYPE);
        action(m, "set-statistics", a -> a.action() == Action.SET_STATISTICS);
        action(m, "set-not-null", a -> a.action() == Action.SET_NOT_NULL);
        // PRIMARY KEY / UNIQUE only over an existing index; CHECK and FOREIGN KEY only NOT VALID.
        action(m, "add-constraint", a -> a.action() == Action.ADD_CONSTRAINT
                && (keyConstraint(a) ? !a.usingIndex() : !a.notValid()));
        action(m, "add-constraint-not-valid", a -> a.action() == Action.ADD_CONSTRAINT && !keyConstraint(a)
                && a.notValid());
        m.put("validate-constraint", (s, r) -> when(s.action() != null
                && s.action().action() == Action.VALIDATE_CONSTRAINT && !s.asyncAlter()));
        m.put("validate-constraint-async", (s, r) -> when(s.action() != null
                && s.action().action() == Action.VALIDATE_CONSTRAINT && s.asyncAlter()));
        // --- inside queries
        m.put("locking-clause", (s, r) -> {
            for (LockingClause clause : LockingClause.values()) {
                if (s.info().lockingClauses().contains(clause) && r.covers(clause.name())) {
                    return MATCH;
                }
            }
            return Optional.empty();
        });
        m.put("tablesample", (s, r) -> when(s.info().tableSample()));
        m.put("function", (s, r) -> Optional.ofNullable(s.call())
                .filter(c -> c.schema() == null || c.schema().equals("pg_catalog"))
                .filter(c -> r.covers(c.name())).map(c -> Map.of("name", c.name())));
        return m;
    }

    private static Optional<Map<String, String>> when(boolean matches) {
        return matches ? MATCH : Optional.empty();
    }

    private static void table(Map<String, RuleMatcher> m, String name, Predicate<TableFacts> test) {
        m.put(name, (s, r) -> when(s.info().table().filter(test).isPresent()));
    }

    private static void index(Map<String, RuleMatcher> m, String name, Predicate<IndexFacts> test) {
        m.put(name, (s, r) -> when(s.info().index().filter(test).isPresent()));
    }

    private static void action(Map<String, RuleMatcher> m, String name, Predicate<AlterTableAction> test) {
        m.put(name, (s, r) -> when(s.action() != null && test.test(s.action())));
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
