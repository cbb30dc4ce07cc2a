package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * DSQL's transaction-level rules as a state machine: one DDL per transaction, no DDL and DML together, at most
 * 3,000 modified rows, at most 300 s of age, and {@code 25P02} for everything after an error until the
 * transaction ends. It decides; the gateway executes. Fed with every statement before it runs
 * ({@link #before}), its outcome ({@link #afterSuccess} with the command tag, or {@link #afterError}), and
 * PostgreSQL's ReadyForQuery status ({@link #onReadyForQuery}), which is the ground truth it resynchronises on.
 *
 * <p>A multi-statement simple query is one implicit transaction in PostgreSQL and in DSQL; the gateway announces
 * it with {@link #beginQuery(int)}.
 *
 * <p>Rows written by INSERT/UPDATE/DELETE/MERGE/COPY are limited by PostgreSQL itself (the cluster template's
 * statement triggers fail the statement that crosses 3,000 rows, before its tag is sent, in every protocol path
 * and also in autocommit). The tag count here sees the same rows and stays below the limit whenever PostgreSQL
 * lets a statement through; it exists for rows DSQL counts that no trigger sees: those locked by
 * {@code SELECT ... FOR UPDATE / FOR KEY SHARE}.
 */
public final class TransactionTracker {

    /** Where the session is, as DSQL sees it. */
    public enum State {
        /** No transaction block (autocommit). */
        IDLE,
        /** Inside BEGIN ... or inside the implicit block of a multi-statement query. */
        IN_TRANSACTION,
        /** The transaction failed; only COMMIT/ROLLBACK end it. */
        FAILED
    }

    /** What the gateway must do with the statement it asked about. */
    public enum Action {
        /** Send it to PostgreSQL. */
        PROCEED,
        /** Do not send it; answer {@link Decision#error()} instead. The tracker has already recorded the failure. */
        REFUSE,
        /**
         * The transaction already failed (possibly only in the gateway's eyes): send {@code ROLLBACK} in place of
         * the COMMIT. PostgreSQL answers with the tag {@code ROLLBACK}, which is also what DSQL reports.
         */
        COMMIT_AS_ROLLBACK,
        /** Send {@code ROLLBACK} in place of the COMMIT and answer {@link Decision#error()} instead of its tag. */
        ROLLBACK_THEN_REFUSE
    }

    public record Decision(Action action, DsqlError error) {
        static final Decision PROCEED = new Decision(Action.PROCEED, null);

        public boolean proceeds() {
            return action == Action.PROCEED;
        }
    }

    private final DialectRules rules;
    private final Clock clock;
    /** DSQL's limits at the rules' epoch (the table's {@code limits}). */
    private final long maxRowsPerTransaction;

    private final long maxTransactionAgeSeconds;

    private State state = State.IDLE;
    private boolean explicitBlock;
    private int statementsLeftInQuery;
    private Instant startedAt;
    private int ddlCount;
    private boolean wroteRows;
    private long rows;

    public TransactionTracker(DialectRules rules, Clock clock) {
        this.rules = rules;
        this.clock = clock;
        this.maxRowsPerTransaction = rules.limit(DialectLimit.ROWS_PER_TRANSACTION);
        this.maxTransactionAgeSeconds = rules.limit(DialectLimit.TRANSACTION_AGE_SECONDS);
    }

    /** An independent copy, for looking ahead without changing this session. */
    TransactionTracker copy() {
        TransactionTracker c = new TransactionTracker(rules, clock);
        c.state = state;
        c.explicitBlock = explicitBlock;
        c.statementsLeftInQuery = statementsLeftInQuery;
        c.startedAt = startedAt;
        c.ddlCount = ddlCount;
        c.wroteRows = wroteRows;
        c.rows = rows;
        return c;
    }

    public State state() {
        return state;
    }

    /** An explicit BEGIN block is open (failed or not). */
    public boolean inTransactionBlock() {
        return explicitBlock && state != State.IDLE;
    }

    /** The status byte for a ReadyForQuery the gateway sends itself: {@code I}, {@code T} or {@code E}. */
    public char transactionStatus() {
        if (!explicitBlock) {
            return 'I';
        }
        return state == State.FAILED ? 'E' : 'T';
    }

    /** A simple Query with {@code statementCount} statements is about to run. */
    public void beginQuery(int statementCount) {
        statementsLeftInQuery = statementCount;
        if (statementCount > 1 && state == State.IDLE) {
            startImplicit();
        }
    }

    private void startImplicit() {
        state = State.IN_TRANSACTION;
        explicitBlock = false;
        resetCounters();
    }

    private void resetCounters() {
        startedAt = clock.instant();
        ddlCount = 0;
        wroteRows = false;
        rows = 0;
    }

    /** Decides whether a statement may run, given the transaction it would run in. */
    public Decision before(StatementInfo info) {
        String command = info.command();
        boolean ends = isCommit(command) || isRollback(command);
        if (state == State.FAILED) {
            if (isCommit(command)) {
                return new Decision(Action.COMMIT_AS_ROLLBACK, null);
            }
            if (isRollback(command)) {
                return Decision.PROCEED;
            }
            return refuse(rules.error(RuleId.ABORTED_TRANSACTION, Map.of()));
        }
        if (state == State.IN_TRANSACTION) {
            long age = Duration.between(startedAt, clock.instant()).getSeconds();
            if (age > maxTransactionAgeSeconds && !isRollback(command)) {
                DsqlError error = rules.error(RuleId.AGE_LIMIT, Map.of("age", Long.toString(age)));
                if (isCommit(command)) {
                    endTransaction();
                    return new Decision(Action.ROLLBACK_THEN_REFUSE, error);
                }
                return refuse(error);
            }
            if (ends) {
                return Decision.PROCEED;
            }
            if (explicitBlock && command.equals("ANALYZE")) {
                return refuse(rules.error(RuleId.ANALYZE_IN_TRANSACTION, Map.of()));
            }
            if (info.kind() == StatementKind.DDL) {
                if (ddlCount > 0) {
                    return refuse(rules.error(RuleId.MULTIPLE_DDL, Map.of()));
                }
                if (wroteRows) {
                    return refuse(rules.error(RuleId.DDL_DML_MIX, Map.of()));
                }
            } else if (info.writesRows() && ddlCount > 0) {
                return refuse(rules.error(RuleId.DDL_DML_MIX, Map.of()));
            }
        }
        return Decision.PROCEED;
    }

    /**
     * Records a statement that ran and returns PROCEED, or REFUSE when DSQL would have failed it after the fact
     * (the row limit): the gateway then replaces the CommandComplete with the error and must make sure the
     * changes are rolled back.
     */
    public Decision afterSuccess(StatementInfo info, String commandTag) {
        consumeQueryStatement();
        String command = info.command();
        if (command.equals("BEGIN") || command.equals("START TRANSACTION")) {
            if (state == State.IDLE) {
                resetCounters();
            }
            state = State.IN_TRANSACTION;
            explicitBlock = true;
            return Decision.PROCEED;
        }
        if (isCommit(command) || isRollback(command)) {
            endTransaction();
            return Decision.PROCEED;
        }
        if (state == State.IDLE) {
            // autocommit: the statement is its own transaction
            return rows(info, commandTag) > maxRowsPerTransaction
                    ? new Decision(Action.REFUSE, rules.error(RuleId.ROW_LIMIT, Map.of()))
                    : Decision.PROCEED;
        }
        if (info.kind() == StatementKind.DDL) {
            ddlCount++;
        }
        if (info.writesRows()) {
            wroteRows = true;
        }
        rows += rows(info, commandTag);
        if (rows > maxRowsPerTransaction) {
            return refuse(rules.error(RuleId.ROW_LIMIT, Map.of()));
        }
        return Decision.PROCEED;
    }

    /** The statement failed in PostgreSQL, or the gateway answered an error for it on its own. */
    public void afterError() {
        consumeQueryStatement();
        if (state == State.IN_TRANSACTION) {
            state = State.FAILED;
        }
    }

    /** PostgreSQL's ReadyForQuery status: the end of a query cycle and the ground truth to resynchronise on. */
    public void onReadyForQuery(char status) {
        statementsLeftInQuery = 0;
        switch (status) {
            case 'I' -> {
                state = State.IDLE;
                explicitBlock = false;
            }
            case 'E' -> {
                state = State.FAILED;
                explicitBlock = true;
            }
            case 'T' -> {
                if (state == State.IDLE || !explicitBlock) {
                    if (state == State.IDLE) {
                        resetCounters();
                    }
                    state = State.IN_TRANSACTION;
                    explicitBlock = true;
                }
            }
            default -> {}
        }
    }

    private Decision refuse(DsqlError error) {
        if (state == State.IN_TRANSACTION) {
            state = State.FAILED;
        }
        return new Decision(Action.REFUSE, error);
    }

    private void endTransaction() {
        state = State.IDLE;
        explicitBlock = false;
        if (statementsLeftInQuery > 0) {
            // Later statements of the same simple query form a new implicit transaction.
            startImplicit();
        }
    }

    private void consumeQueryStatement() {
        if (statementsLeftInQuery > 0) {
            statementsLeftInQuery--;
        }
    }

    /** Rows written (or locked FOR UPDATE / FOR KEY SHARE) according to the command tag. */
    static long rows(StatementInfo info, String commandTag) {
        if (commandTag == null || !info.writesRows()) {
            return 0;
        }
        String[] parts = commandTag.trim().split(" ");
        String verb = parts[0];
        if (!(verb.equals("INSERT")
                || verb.equals("UPDATE")
                || verb.equals("DELETE")
                || verb.equals("MERGE")
                || verb.equals("COPY")
                || verb.equals("SELECT"))) {
            return 0;
        }
        try {
            return Long.parseLong(parts[parts.length - 1]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isCommit(String command) {
        return command.equals("COMMIT");
    }

    private static boolean isRollback(String command) {
        return command.equals("ROLLBACK");
    }
}
