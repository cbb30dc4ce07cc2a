package dev.dsqllocal.sql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the classifier understood of one statement: its kind, a PostgreSQL-like command name, the PostgreSQL
 * parse-node name where DSQL's messages use it ({@code unsupported statement: Truncate}), and the facts the
 * dialect rules look at. Facts that do not apply to the statement are empty.
 */
public final class StatementInfo {

    /** Row-locking clause of a SELECT. */
    public enum LockingClause {
        FOR_UPDATE,
        FOR_NO_KEY_UPDATE,
        FOR_SHARE,
        FOR_KEY_SHARE
    }

    /** A function called somewhere in the statement (outside literals). */
    public record FunctionCall(String schema, String name) {}

    /**
     * CREATE INDEX.
     *
     * @param table       table name as PostgreSQL folded it, parts joined with dots (for messages and logs)
     * @param quotedTable the same name with every part double-quoted, safe to put back into SQL
     * @param keyColumns  number of key elements (columns or expressions)
     * @param asyncToken  the {@code ASYNC} keyword token, to cut out before PostgreSQL sees the statement
     */
    public record IndexFacts(
            String name,
            String table,
            String quotedTable,
            boolean unique,
            boolean async,
            boolean concurrently,
            boolean ifNotExists,
            String method,
            boolean partial,
            boolean hasExpressions,
            boolean hasSortOrder,
            boolean hasOpclass,
            int keyColumns,
            Token asyncToken) {}

    /** An identity column's sequence options; {@code cache} is null when no CACHE was given. */
    public record IdentitySpec(Long cache) {}

    /**
     * A column definition in CREATE TABLE or ALTER TABLE ADD COLUMN.
     *
     * @param hasConstraint any constraint, DEFAULT, NOT NULL, identity or generation clause
     */
    public record ColumnDefinition(
            String name,
            TypeRef type,
            IdentitySpec identity,
            boolean hasConstraint,
            boolean references,
            boolean collate) {
        public Optional<IdentitySpec> identityOpt() {
            return Optional.ofNullable(identity);
        }
    }

    /**
     * CREATE TABLE (not AS).
     *
     * @param primaryKey    a PRIMARY KEY is declared (column or table constraint)
     * @param maxKeyColumns the most columns in one PRIMARY KEY or UNIQUE table constraint
     */
    public record TableFacts(
            String name,
            boolean temporary,
            boolean unlogged,
            boolean inherits,
            boolean partitioned,
            boolean partitionOf,
            boolean tablespace,
            boolean storageParameters,
            boolean typedTable,
            boolean foreignKeys,
            boolean collate,
            boolean primaryKey,
            int maxKeyColumns,
            List<ColumnDefinition> columns) {
        public TableFacts {
            columns = List.copyOf(columns);
        }
    }

    /** CREATE SEQUENCE; {@code cache} null when absent, {@code asType} null when absent. */
    public record SequenceFacts(String name, Long cache, TypeRef asType) {}

    /** CREATE FUNCTION / PROCEDURE; {@code language} folded, null when not given. */
    public record RoutineFacts(boolean procedure, String language) {}

    /**
     * SET / RESET / SET LOCAL / SET TRANSACTION.
     *
     * @param parameter folded GUC name ({@code timezone} for SET TIME ZONE, {@code TRANSACTION} for
     *                  SET TRANSACTION and SET SESSION CHARACTERISTICS, {@code all} for RESET ALL)
     * @param value     first token of the value as written (string body for literals), null for RESET/DEFAULT
     */
    public record SetFacts(String parameter, boolean local, boolean reset, String value) {}

    /** One subcommand of ALTER TABLE. */
    public record AlterTableAction(
            Action action,
            String column,
            ColumnDefinition addedColumn,
            String constraintType,
            boolean notValid,
            boolean usingIndex) {
        public enum Action {
            ADD_COLUMN,
            DROP_COLUMN,
            ALTER_COLUMN_TYPE,
            SET_STATISTICS,
            SET_NOT_NULL,
            ADD_CONSTRAINT,
            VALIDATE_CONSTRAINT,
            OTHER
        }
    }

    /**
     * ALTER TABLE [ASYNC].
     *
     * @param quotedTable the table written so that PostgreSQL resolves it to the same relation (every part quoted)
     */
    public record AlterTableFacts(
            String table, String quotedTable, boolean async, Token asyncToken, List<AlterTableAction> actions) {
        public AlterTableFacts {
            actions = List.copyOf(actions);
        }
    }

    /** {@code AWS IAM GRANT role TO 'arn'} / {@code AWS IAM REVOKE role FROM 'arn'}: not PostgreSQL grammar. */
    public record IamMapping(boolean grant, String role, String arn) {}

    /** COPY: direction and whether it is the client-side (STDIN/STDOUT) form. */
    public record CopyFacts(boolean from, boolean clientSide) {}

    private final StatementKind kind;
    private final String command;
    private final String nodeTag;
    private final String objectType;
    private final SqlStatement statement;
    private final Set<LockingClause> lockingClauses;
    private final boolean tableSample;
    private final List<FunctionCall> functionCalls;
    private final String isolationLevel;
    private final IndexFacts index;
    private final TableFacts table;
    private final SequenceFacts sequence;
    private final RoutineFacts routine;
    private final SetFacts set;
    private final String showParameter;
    private final AlterTableFacts alterTable;
    private final IamMapping iamMapping;
    private final String waitForJobArgument;
    private final CopyFacts copy;
    private final boolean writesRows;

    private StatementInfo(Builder b) {
        this.kind = b.kind;
        this.command = b.command;
        this.nodeTag = b.nodeTag;
        this.objectType = b.objectType;
        this.statement = b.statement;
        this.lockingClauses = Set.copyOf(b.lockingClauses);
        this.tableSample = b.tableSample;
        this.functionCalls = List.copyOf(b.functionCalls);
        this.isolationLevel = b.isolationLevel;
        this.index = b.index;
        this.table = b.table;
        this.sequence = b.sequence;
        this.routine = b.routine;
        this.set = b.set;
        this.showParameter = b.showParameter;
        this.alterTable = b.alterTable;
        this.iamMapping = b.iamMapping;
        this.waitForJobArgument = b.waitForJobArgument;
        this.copy = b.copy;
        this.writesRows = b.writesRows;
    }

    public StatementKind kind() {
        return kind;
    }

    /** PostgreSQL-like command name, e.g. {@code CREATE TABLE}, {@code SAVEPOINT}, {@code ROLLBACK TO}; {@code ""} if unknown. */
    public String command() {
        return command;
    }

    /** PostgreSQL parse-node name without "Stmt" ({@code Truncate}, {@code Createdb}, {@code CreateTableAs}), if known. */
    public Optional<String> nodeTag() {
        return Optional.ofNullable(nodeTag);
    }

    /** For DROP / ALTER ... RENAME: the object type keyword(s), e.g. {@code TYPE}, {@code TABLE}. */
    public Optional<String> objectType() {
        return Optional.ofNullable(objectType);
    }

    public SqlStatement statement() {
        return statement;
    }

    public Set<LockingClause> lockingClauses() {
        return lockingClauses;
    }

    public boolean tableSample() {
        return tableSample;
    }

    public List<FunctionCall> functionCalls() {
        return functionCalls;
    }

    /** Isolation level requested by BEGIN / START TRANSACTION / SET TRANSACTION, upper case. */
    public Optional<String> isolationLevel() {
        return Optional.ofNullable(isolationLevel);
    }

    public Optional<IndexFacts> index() {
        return Optional.ofNullable(index);
    }

    public Optional<TableFacts> table() {
        return Optional.ofNullable(table);
    }

    public Optional<SequenceFacts> sequence() {
        return Optional.ofNullable(sequence);
    }

    public Optional<RoutineFacts> routine() {
        return Optional.ofNullable(routine);
    }

    public Optional<SetFacts> set() {
        return Optional.ofNullable(set);
    }

    public Optional<String> showParameter() {
        return Optional.ofNullable(showParameter);
    }

    public Optional<AlterTableFacts> alterTable() {
        return Optional.ofNullable(alterTable);
    }

    public Optional<IamMapping> iamMapping() {
        return Optional.ofNullable(iamMapping);
    }

    /** For {@code CALL sys.wait_for_job(...)}: the argument (string body if a literal, else its source text). */
    public Optional<String> waitForJobArgument() {
        return Optional.ofNullable(waitForJobArgument);
    }

    public Optional<CopyFacts> copy() {
        return Optional.ofNullable(copy);
    }

    /**
     * Whether the statement writes (or, for FOR UPDATE / FOR KEY SHARE, locks) rows, which is what DSQL's
     * "DDL and DML in one transaction" and row-count rules are about.
     */
    public boolean writesRows() {
        return writesRows;
    }

    /**
     * Whether PostgreSQL cannot run the statement as written and the gateway must emulate or rewrite it
     * ({@code CREATE INDEX ASYNC}, {@code ALTER TABLE ASYNC}, {@code AWS IAM ...}, {@code CALL sys.wait_for_job},
     * and SET/RESET/SHOW of {@code disable_sync_create_index}, a DSQL setting PostgreSQL does not know).
     */
    public boolean needsEmulation() {
        return (index != null && index.async())
                || (alterTable != null && alterTable.async())
                || iamMapping != null
                || waitForJobArgument != null
                || (set != null && set.parameter().equals(DSQL_ONLY_SETTING))
                || DSQL_ONLY_SETTING.equals(showParameter);
    }

    /** The one settable DSQL parameter without a dot, which PostgreSQL would reject as unknown. */
    public static final String DSQL_ONLY_SETTING = "disable_sync_create_index";

    @Override
    public String toString() {
        return kind + " " + command + (nodeTag == null ? "" : " (" + nodeTag + ")");
    }

    static Builder builder(SqlStatement statement) {
        return new Builder(statement);
    }

    /** Mutable collector used by {@link StatementClassifier}. */
    static final class Builder {
        private StatementKind kind = StatementKind.UNKNOWN;
        private String command = "";
        private String nodeTag;
        private String objectType;
        private final SqlStatement statement;
        private final EnumSet<LockingClause> lockingClauses = EnumSet.noneOf(LockingClause.class);
        private boolean tableSample;
        private final List<FunctionCall> functionCalls = new ArrayList<>();
        private String isolationLevel;
        private IndexFacts index;
        private TableFacts table;
        private SequenceFacts sequence;
        private RoutineFacts routine;
        private SetFacts set;
        private String showParameter;
        private AlterTableFacts alterTable;
        private IamMapping iamMapping;
        private String waitForJobArgument;
        private CopyFacts copy;
        private boolean writesRows;

        private Builder(SqlStatement statement) {
            this.statement = statement;
        }

        Builder kind(StatementKind k, String cmd) {
            this.kind = k;
            this.command = cmd;
            return this;
        }

        Builder nodeTag(String tag) {
            this.nodeTag = tag;
            return this;
        }

        Builder objectType(String type) {
            this.objectType = type;
            return this;
        }

        Builder locking(LockingClause c) {
            lockingClauses.add(c);
            return this;
        }

        Builder tableSample(boolean v) {
            tableSample = v;
            return this;
        }

        Builder function(FunctionCall f) {
            functionCalls.add(f);
            return this;
        }

        Builder isolationLevel(String level) {
            isolationLevel = level;
            return this;
        }

        Builder index(IndexFacts f) {
            index = f;
            return this;
        }

        Builder table(TableFacts f) {
            table = f;
            return this;
        }

        Builder sequence(SequenceFacts f) {
            sequence = f;
            return this;
        }

        Builder routine(RoutineFacts f) {
            routine = f;
            return this;
        }

        Builder set(SetFacts f) {
            set = f;
            return this;
        }

        Builder show(String parameter) {
            showParameter = parameter;
            return this;
        }

        Builder alterTable(AlterTableFacts f) {
            alterTable = f;
            return this;
        }

        Builder iam(IamMapping m) {
            iamMapping = m;
            return this;
        }

        Builder waitForJob(String arg) {
            waitForJobArgument = arg;
            return this;
        }

        Builder copy(CopyFacts c) {
            copy = c;
            return this;
        }

        Builder writesRows(boolean v) {
            writesRows = v;
            return this;
        }

        StatementKind kind() {
            return kind;
        }

        Set<LockingClause> locking() {
            return lockingClauses;
        }

        StatementInfo build() {
            return new StatementInfo(this);
        }
    }
}
