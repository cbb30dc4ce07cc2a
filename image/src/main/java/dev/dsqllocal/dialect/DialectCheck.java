package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementKind;
import dev.dsqllocal.sql.TypeRef;
import dev.dsqllocal.sql.StatementInfo.AlterTableAction;
import dev.dsqllocal.sql.StatementInfo.ColumnDefinition;
import dev.dsqllocal.sql.StatementInfo.FunctionCall;
import dev.dsqllocal.sql.StatementInfo.IndexFacts;
import dev.dsqllocal.sql.StatementInfo.LockingClause;
import dev.dsqllocal.sql.StatementInfo.SetFacts;
import dev.dsqllocal.sql.StatementInfo.TableFacts;

import java.util.Map;
import java.util.Optional;

/**
 * Statement-level dialect rules: given what the classifier understood, does DSQL run the statement or refuse
 * it, and with which error. Transaction-level rules (one DDL per transaction, row and age limits) are
 * {@link TransactionTracker}'s job. Statements the classifier did not understand always pass.
 */
public final class DialectCheck {

    private static final long MIN_LARGE_CACHE = 65_536;
    /** Observed: a 256-column table is accepted, 257 are refused (the documented limit says 255). */
    static final int MAX_COLUMNS = 256;
    static final int MAX_KEY_COLUMNS = 8;

    private final DialectRules rules;

    public DialectCheck(DialectRules rules) {
        this.rules = rules;
    }

    public DialectRules rules() {
        return rules;
    }

    public Verdict check(StatementInfo info, SessionState session) {
        if (info.kind() == StatementKind.UNKNOWN || info.kind() == StatementKind.EMPTY) {
            return Verdict.PASS;
        }
        Optional<DsqlError> refusal = statementRules(info, session);
        if (refusal.isEmpty()) {
            refusal = expressionRules(info);
        }
        if (refusal.isPresent()) {
            return new Verdict.Refuse(refusal.get());
        }
        IndexFacts index = info.index().orElse(null);
        if (index != null && !index.async() && !index.concurrently() && !session.syncCreateIndexDisabled()) {
            // DSQL builds a plain CREATE INDEX only on an empty table; the database must tell.
            return new Verdict.PassIfTableEmpty(index.quotedTable(), ruleError(RuleId.SYNC_CREATE_INDEX, Map.of())
                    .orElseThrow());
        }
        return Verdict.PASS;
    }

    private Optional<DsqlError> statementRules(StatementInfo info, SessionState session) {
        Optional<String> tag = info.nodeTag();
        if (tag.isPresent()) {
            Optional<DsqlError> e = family(RuleId.UNSUPPORTED_STATEMENT, tag.get(), Map.of("tag", tag.get()))
                    .or(() -> family(RuleId.UNSUPPORTED_STATEMENT_INFERRED, tag.get(), Map.of("tag", tag.get())));
            if (e.isPresent()) {
                return e;
            }
        }
        String command = info.command();
        switch (command) {
            case "MERGE" -> {
                return ruleError(RuleId.MERGE, Map.of());
            }
            case "VACUUM" -> {
                return ruleError(RuleId.VACUUM, Map.of());
            }
            case "CREATE TRIGGER" -> {
                return ruleError(RuleId.CREATE_TRIGGER, Map.of());
            }
            case "CREATE TYPE" -> {
                return ruleError(RuleId.CREATE_TYPE, Map.of());
            }
            case "ALTER TYPE" -> {
                return "Rename".equals(tag.orElse(null)) ? ruleError(RuleId.RENAME_TYPE, Map.of())
                        : ruleError(RuleId.ALTER_TYPE, Map.of());
            }
            case "DROP TYPE" -> {
                return ruleError(RuleId.DROP_TYPE, Map.of());
            }
            case "SAVEPOINT", "RELEASE", "ROLLBACK TO" -> {
                return ruleError(RuleId.TRANSACTION_STATEMENT, Map.of("kind", command));
            }
            case "BEGIN", "START TRANSACTION" -> {
                return isolation(info);
            }
            case "SET TRANSACTION" -> {
                return isolation(info).or(() -> ruleError(RuleId.SET_TRANSACTION, Map.of()));
            }
            case "SET", "RESET" -> {
                return setParameter(info.set().orElseThrow(), session);
            }
            case "SHOW" -> {
                String p = info.showParameter().orElse("");
                return family(RuleId.SHOW_PARAMETER, p, Map.of("name", p));
            }
            case "COPY" -> {
                return info.copy().filter(c -> !c.clientSide()).flatMap(c -> ruleError(RuleId.COPY_SERVER_FILE,
                        Map.of()));
            }
            default -> {
            }
        }
        if (info.routine().isPresent()) {
            var routine = info.routine().get();
            if (routine.procedure()) {
                return ruleError(RuleId.CREATE_PROCEDURE, Map.of());
            }
            if (routine.language() != null && !routine.language().equals("sql")) {
                return ruleError(RuleId.FUNCTION_LANGUAGE, Map.of("language", routine.language()));
            }
        }
        if (info.table().isPresent()) {
            return createTable(info.table().get());
        }
        if (info.sequence().isPresent()) {
            var sequence = info.sequence().get();
            if (!cacheAllowed(sequence.cache())) {
                return ruleError(RuleId.SEQUENCE_CACHE, Map.of());
            }
            if (sequence.asType() != null && !sequence.asType().displayName().equals("bigint")) {
                return ruleError(RuleId.SEQUENCE_TYPE, Map.of("type", sequence.asType().messageName()));
            }
        }
        if (info.index().isPresent()) {
            return createIndex(info.index().get(), session);
        }
        if (info.alterTable().isPresent()) {
            var alter = info.alterTable().get();
            for (AlterTableAction action : alter.actions()) {
                Optional<DsqlError> e = alterTableAction(action, alter.async());
                if (e.isPresent()) {
                    return e;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<DsqlError> isolation(StatementInfo info) {
        return info.isolationLevel().filter(level -> !level.equals("REPEATABLE READ"))
                .flatMap(level -> ruleError(RuleId.ISOLATION_LEVEL, Map.of("level", level)));
    }

    private Optional<DsqlError> setParameter(SetFacts set, SessionState session) {
        String name = set.parameter();
        if (set.reset() && name.equals("all")) {
            return Optional.empty(); // RESET ALL only touches what may be set anyway
        }
        if (!rules.isSettable(name)) {
            return ruleError(RuleId.SET_PARAMETER, Map.of("name", name));
        }
        if (rules.isLocalOnly(name) && !(set.local() && session.inTransactionBlock())) {
            return ruleError(RuleId.SET_ROLE, Map.of("name", name));
        }
        return Optional.empty();
    }

    private Optional<DsqlError> createTable(TableFacts table) {
        if (table.temporary()) {
            return ruleError(RuleId.TEMPORARY_TABLE, Map.of());
        }
        if (table.unlogged()) {
            return ruleError(RuleId.UNLOGGED_TABLE, Map.of());
        }
        if (table.partitionOf()) {
            return ruleError(RuleId.TABLE_PARTITION_OF, Map.of());
        }
        for (ColumnDefinition column : table.columns()) {
            Optional<DsqlError> e = columnType(column).or(() -> identity(column));
            if (e.isPresent()) {
                return e;
            }
        }
        if (table.columns().size() > MAX_COLUMNS) {
            return ruleError(table.primaryKey() ? RuleId.INDEX_COLUMN_COUNT : RuleId.TABLE_COLUMN_COUNT, Map.of());
        }
        if (table.maxKeyColumns() > MAX_KEY_COLUMNS) {
            return ruleError(RuleId.INDEX_KEY_COLUMNS, Map.of());
        }
        if (table.collate()) {
            return ruleError(RuleId.TABLE_COLLATE, Map.of());
        }
        if (table.foreignKeys()) {
            Optional<DsqlError> e = ruleError(RuleId.FOREIGN_KEY, Map.of());
            if (e.isPresent()) {
                return e;
            }
        }
        if (table.inherits()) {
            return ruleError(RuleId.TABLE_INHERITS, Map.of());
        }
        if (table.partitioned()) {
            return ruleError(RuleId.TABLE_PARTITIONING, Map.of());
        }
        if (table.storageParameters()) {
            return ruleError(RuleId.TABLE_STORAGE_PARAMETERS, Map.of());
        }
        if (table.tablespace()) {
            return ruleError(RuleId.TABLE_TABLESPACE, Map.of());
        }
        return Optional.empty();
    }

    private Optional<DsqlError> columnType(ColumnDefinition column) {
        TypeRef type = column.type();
        if (type.isSerial()) {
            return ruleError(RuleId.SERIAL_TYPE, Map.of("type", type.written()));
        }
        if (type.array()) {
            return ruleError(RuleId.ARRAY_COLUMN, Map.of("type", type.messageName()));
        }
        if (type.schema() == null || type.schema().equals("pg_catalog")) {
            return family(RuleId.UNSUPPORTED_COLUMN_TYPE, type.displayName(), Map.of("type", type.displayName()));
        }
        return Optional.empty();
    }

    private Optional<DsqlError> identity(ColumnDefinition column) {
        if (column.identity() == null) {
            return Optional.empty();
        }
        if (!cacheAllowed(column.identity().cache())) {
            return ruleError(RuleId.IDENTITY_CACHE, Map.of());
        }
        if (!column.type().displayName().equals("bigint")) {
            return ruleError(RuleId.IDENTITY_TYPE, Map.of("type", column.type().messageName()));
        }
        return Optional.empty();
    }

    private static boolean cacheAllowed(Long cache) {
        return cache != null && (cache == 1 || cache >= MIN_LARGE_CACHE);
    }

    private Optional<DsqlError> createIndex(IndexFacts index, SessionState session) {
        if (index.concurrently()) {
            return ruleError(RuleId.CREATE_INDEX_CONCURRENTLY, Map.of());
        }
        if (!index.async() && session.syncCreateIndexDisabled()) {
            return ruleError(RuleId.SYNC_CREATE_INDEX, Map.of());
        }
        if (index.method() != null && !index.method().equals("btree") && !index.method().equals("btree_index")) {
            return ruleError(RuleId.INDEX_METHOD, Map.of("method", index.method()));
        }
        if (index.keyColumns() > MAX_KEY_COLUMNS) {
            return ruleError(RuleId.INDEX_KEY_COLUMNS, Map.of());
        }
        if (index.hasSortOrder()) {
            return ruleError(RuleId.INDEX_SORT_ORDER, Map.of());
        }
        if (index.hasOpclass()) {
            return ruleError(RuleId.INDEX_OPCLASS, Map.of());
        }
        if (index.hasExpressions()) {
            Optional<DsqlError> e = ruleError(RuleId.EXPRESSION_INDEX, Map.of());
            if (e.isPresent()) {
                return e;
            }
        }
        if (index.partial()) {
            return ruleError(RuleId.PARTIAL_INDEX, Map.of());
        }
        return Optional.empty();
    }

    private Optional<DsqlError> alterTableAction(AlterTableAction action, boolean async) {
        switch (action.action()) {
            case ADD_COLUMN -> {
                ColumnDefinition column = action.addedColumn();
                if (column == null) {
                    return Optional.empty();
                }
                Optional<DsqlError> e = columnType(column);
                if (e.isPresent()) {
                    return e;
                }
                return column.hasConstraint() ? ruleError(RuleId.ALTER_ADD_COLUMN_CONSTRAINT, Map.of())
                        : Optional.empty();
            }
            case DROP_COLUMN -> {
                return ruleError(RuleId.ALTER_DROP_COLUMN, Map.of());
            }
            case ALTER_COLUMN_TYPE -> {
                return ruleError(RuleId.ALTER_COLUMN_TYPE, Map.of());
            }
            case SET_STATISTICS -> {
                return ruleError(RuleId.ALTER_SET_STATISTICS, Map.of());
            }
            case SET_NOT_NULL -> {
                return ruleError(RuleId.ALTER_SET_NOT_NULL, Map.of());
            }
            case ADD_CONSTRAINT -> {
                String type = action.constraintType() == null ? "" : action.constraintType();
                if (type.equals("FOREIGN")) {
                    Optional<DsqlError> e = ruleError(RuleId.FOREIGN_KEY, Map.of());
                    if (e.isPresent()) {
                        return e;
                    }
                }
                if (type.equals("PRIMARY") || type.equals("UNIQUE")) {
                    return action.usingIndex() ? Optional.empty()
                            : ruleError(RuleId.ALTER_ADD_CONSTRAINT, Map.of());
                }
                if (!action.notValid()) {
                    return ruleError(RuleId.ALTER_ADD_CONSTRAINT, Map.of());
                }
                return ruleError(RuleId.ALTER_ADD_CONSTRAINT_NOT_VALID, Map.of());
            }
            case VALIDATE_CONSTRAINT -> {
                return async ? ruleError(RuleId.ALTER_VALIDATE_CONSTRAINT_ASYNC, Map.of())
                        : ruleError(RuleId.ALTER_VALIDATE_CONSTRAINT, Map.of());
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Rules about what appears inside queries: locking clauses, TABLESAMPLE, refused functions. */
    private Optional<DsqlError> expressionRules(StatementInfo info) {
        for (LockingClause clause : LockingClause.values()) {
            if (info.lockingClauses().contains(clause)) {
                Optional<DsqlError> e = family(RuleId.LOCKING_CLAUSE, clause.name(), Map.of());
                if (e.isPresent()) {
                    return e;
                }
            }
        }
        if (info.tableSample()) {
            return ruleError(RuleId.TABLESAMPLE, Map.of());
        }
        for (FunctionCall call : info.functionCalls()) {
            if (call.schema() != null && !call.schema().equals("pg_catalog")) {
                continue;
            }
            Map<String, String> args = Map.of("name", call.name());
            Optional<DsqlError> e = family(RuleId.UNSUPPORTED_FUNCTION, call.name(), args)
                    .or(() -> family(RuleId.UNSUPPORTED_FUNCTION_INFERRED, call.name(), args));
            if (e.isPresent()) {
                return e;
            }
        }
        return Optional.empty();
    }

    private Optional<DsqlError> ruleError(RuleId id, Map<String, String> args) {
        return rules.active(id).map(r -> r.error(args));
    }

    private Optional<DsqlError> family(RuleId id, String subject, Map<String, String> args) {
        return rules.active(id, subject).map(r -> r.error(args));
    }
}
