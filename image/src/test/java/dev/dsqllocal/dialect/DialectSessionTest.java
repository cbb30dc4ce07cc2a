package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.dialect.DialectSession.Outcome;
import dev.dsqllocal.dialect.TransactionTracker.Action;
import dev.dsqllocal.sql.StatementClassifier;
import dev.dsqllocal.sql.StatementInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transaction-level behaviour, replaying the recorded DSQL transcripts (DSQL-BEHAVIOUR.md §4, §5; the dsql-emulator
 * golden {@code transaction.json}): the gateway's side is simulated by feeding PostgreSQL's outcomes back.
 */
class DialectSessionTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-10-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private ManualClock clock;
    private DialectSession session;

    @BeforeEach
    void setUp() {
        clock = new ManualClock();
        session = new DialectSession(DialectRules.latest(), clock);
    }

    /** Runs one statement as a gateway would: ask, and if allowed pretend PostgreSQL answered {@code tag}. */
    private Outcome run(String sql, String tag) {
        StatementInfo info = StatementClassifier.classifySingle(sql);
        Outcome before = session.beforeStatement(info);
        if (!before.proceeds()) {
            if (before.action() == Action.COMMIT_AS_ROLLBACK) {
                session.afterSuccess(info, "ROLLBACK");
            }
            return before;
        }
        return session.afterSuccess(info, tag);
    }

    private Outcome run(String sql) {
        return run(sql, "OK");
    }

    private static void assertError(Outcome o, String sqlstate, String message) {
        assertThat(o.error()).as("expected an error for %s", o).isNotNull();
        assertThat(o.error().sqlstate()).isEqualTo(sqlstate);
        assertThat(o.error().message()).isEqualTo(message);
    }

    @Test
    void twoDdlInOneTransaction() {
        assertThat(run("BEGIN", "BEGIN").proceeds()).isTrue();
        assertThat(run("CREATE TABLE a (id int)", "CREATE TABLE").proceeds()).isTrue();
        assertError(run("CREATE TABLE b (id int)"), "0A000", "multiple ddl statements not supported in a transaction");
        assertThat(session.tracker().transactionStatus()).isEqualTo('E');
    }

    @Test
    void ddlThenDmlAndDmlThenDdl() {
        run("BEGIN", "BEGIN");
        run("CREATE TABLE c (id int)", "CREATE TABLE");
        assertError(
                run("INSERT INTO c (id) VALUES (1)"), "0A000", "ddl and dml are not supported in the same transaction");

        setUp();
        run("BEGIN", "BEGIN");
        run("UPDATE t SET a = 1", "UPDATE 2");
        assertError(
                run("CREATE INDEX ASYNC i ON t (a)"), "0A000", "ddl and dml are not supported in the same transaction");
    }

    @Test
    void readsDoNotCountAsDml() {
        run("BEGIN", "BEGIN");
        run("SELECT * FROM t", "SELECT 3");
        assertThat(run("CREATE TABLE d (id int)", "CREATE TABLE").proceeds())
                .as("[I] plain reads are neutral")
                .isTrue();
    }

    @Test
    void autocommitStatementsAreIndependent() {
        assertThat(run("CREATE TABLE a (id int)", "CREATE TABLE").proceeds()).isTrue();
        assertThat(run("CREATE TABLE b (id int)", "CREATE TABLE").proceeds()).isTrue();
        assertThat(run("INSERT INTO a VALUES (1)", "INSERT 0 1").proceeds()).isTrue();
    }

    @Test
    void refusalAbortsTheTransactionAndCommitReportsRollback() {
        run("BEGIN", "BEGIN");
        assertError(run("TRUNCATE baseline_parent"), "0A000", "unsupported statement: Truncate");
        assertError(
                run("SELECT 1"),
                "25P02",
                "current transaction is aborted, commands ignored until end of transaction block");
        Outcome commit = run("COMMIT");
        assertThat(commit.action()).isEqualTo(Action.COMMIT_AS_ROLLBACK);
        assertThat(session.tracker().state()).isEqualTo(TransactionTracker.State.IDLE);
        assertThat(run("SELECT 1", "SELECT 1").proceeds()).isTrue();
    }

    @Test
    void abortedTransactionReports25P02BeforeDialectRefusals() {
        run("BEGIN", "BEGIN");
        run("TRUNCATE baseline_parent");
        assertError(
                run("TRUNCATE baseline_parent"),
                "25P02",
                "current transaction is aborted, commands ignored until end of transaction block");
        assertThat(run("ROLLBACK", "ROLLBACK").proceeds()).isTrue();
        assertThat(session.tracker().transactionStatus()).isEqualTo('I');
    }

    @Test
    void setTransactionAbortsTheOpenTransaction() {
        run("BEGIN", "BEGIN");
        assertError(
                run("SET TRANSACTION READ ONLY"),
                "0A000",
                "setting configuration parameter \"TRANSACTION\" not supported");
        assertThat(session.tracker().transactionStatus()).isEqualTo('E');
        run("ROLLBACK", "ROLLBACK");
        assertThat(run("SELECT 1", "SELECT 1").proceeds()).isTrue();
    }

    @Test
    void refusalOutsideATransactionDoesNotAbortAnything() {
        assertError(run("TRUNCATE baseline_parent"), "0A000", "unsupported statement: Truncate");
        assertThat(run("SELECT 1", "SELECT 1").proceeds()).isTrue();
    }

    @Test
    void errorFromPostgresAbortsTheTransaction() {
        run("BEGIN", "BEGIN");
        StatementInfo bad = StatementClassifier.classifySingle("SELECT 1/0");
        assertThat(session.beforeStatement(bad).proceeds()).isTrue();
        session.afterError();
        assertError(
                run("SELECT 1"),
                "25P02",
                "current transaction is aborted, commands ignored until end of transaction block");
    }

    @Test
    void rowLimitIsCrossedByTheStatementThatExceedsIt() {
        run("BEGIN", "BEGIN");
        assertThat(run("INSERT INTO b SELECT generate_series(1, 3000)", "INSERT 0 3000")
                        .proceeds())
                .as("exactly 3000 is fine")
                .isTrue();
        assertThat(run("SELECT 1", "SELECT 1").proceeds()).isTrue();
        assertError(run("DELETE FROM b WHERE id = 1", "DELETE 1"), "54000", "transaction row limit exceeded");
        assertThat(session.tracker().state()).isEqualTo(TransactionTracker.State.FAILED);
        assertError(
                run("SELECT 1"),
                "25P02",
                "current transaction is aborted, commands ignored until end of transaction block");
    }

    @Test
    void rowLimitInAutocommit() {
        assertError(
                run("INSERT INTO b SELECT generate_series(1, 3001)", "INSERT 0 3001"),
                "54000",
                "transaction row limit exceeded");
        assertThat(run("INSERT INTO b SELECT generate_series(1, 3000)", "INSERT 0 3000")
                        .proceeds())
                .isTrue();
        assertThat(run("SELECT * FROM generate_series(1, 5000)", "SELECT 5000").proceeds())
                .as("reads do not count")
                .isTrue();
    }

    @Test
    void forUpdateRowsCount() {
        run("BEGIN", "BEGIN");
        assertError(run("SELECT * FROM t FOR UPDATE", "SELECT 3001"), "54000", "transaction row limit exceeded");
    }

    @Test
    void transactionAgeLimit() {
        run("BEGIN", "BEGIN");
        clock.now = clock.now.plus(Duration.ofSeconds(300));
        assertThat(run("SELECT 1", "SELECT 1").proceeds()).isTrue();
        clock.now = clock.now.plus(Duration.ofSeconds(2));
        Outcome late = run("SELECT 1");
        assertError(late, "54000", "transaction age limit of 300s exceeded");
        assertThat(late.error().detail()).isEqualTo("Current transaction age 302s exceeds 300s");
    }

    @Test
    void commitOfAnOverAgeTransactionRollsBackAndFails() {
        run("BEGIN", "BEGIN");
        run("INSERT INTO t VALUES (1)", "INSERT 0 1");
        clock.now = clock.now.plus(Duration.ofSeconds(301));
        Outcome commit = session.beforeStatement(StatementClassifier.classifySingle("COMMIT"));
        assertThat(commit.action()).isEqualTo(Action.ROLLBACK_THEN_REFUSE);
        assertThat(commit.error().message()).isEqualTo("transaction age limit of 300s exceeded");
        assertThat(session.tracker().transactionStatus()).isEqualTo('I');
    }

    @Test
    void multiStatementQueryIsOneImplicitTransaction() {
        session.beginQuery(2);
        assertThat(run("CREATE TABLE a (id int)", "CREATE TABLE").proceeds()).isTrue();
        assertError(run("CREATE TABLE b (id int)"), "0A000", "multiple ddl statements not supported in a transaction");
        session.onReadyForQuery('I');
        assertThat(run("CREATE TABLE b (id int)", "CREATE TABLE").proceeds()).isTrue();
    }

    @Test
    void beginIndexCommitInOneQueryWorks() {
        session.beginQuery(3);
        assertThat(run("BEGIN", "BEGIN").proceeds()).isTrue();
        assertThat(run("CREATE INDEX ASYNC i ON t (a)", "CREATE INDEX").proceeds())
                .isTrue();
        assertThat(run("COMMIT", "COMMIT").proceeds()).isTrue();
        session.onReadyForQuery('I');
        assertThat(session.tracker().state()).isEqualTo(TransactionTracker.State.IDLE);
    }

    @Test
    void statementsAfterCommitInTheSameQueryStartANewImplicitTransaction() {
        session.beginQuery(4);
        run("BEGIN", "BEGIN");
        run("CREATE TABLE a (id int)", "CREATE TABLE");
        run("COMMIT", "COMMIT");
        assertThat(run("INSERT INTO a VALUES (1)", "INSERT 0 1").proceeds()).isTrue();
    }

    @Test
    void lookAheadFindsTheFirstRefusedStatementWithoutChangingTheSession() {
        var statements = StatementClassifier.classifyAll("CREATE TABLE a (id int); INSERT INTO a VALUES (1); SELECT 1");
        DialectSession.Refusal refusal = session.firstRefusal(statements).orElseThrow();
        assertThat(refusal.index()).isEqualTo(1);
        assertThat(refusal.outcome().error().message())
                .isEqualTo("ddl and dml are not supported in the same transaction");
        assertThat(session.tracker().state()).isEqualTo(TransactionTracker.State.IDLE);
        assertThat(session.firstRefusal(
                        StatementClassifier.classifyAll("BEGIN; CREATE INDEX ASYNC i ON t (a); COMMIT")))
                .isEmpty();
        assertThat(session.firstRefusal(StatementClassifier.classifyAll("SELECT 1; TRUNCATE t"))
                        .orElseThrow()
                        .outcome()
                        .error()
                        .message())
                .isEqualTo("unsupported statement: Truncate");
    }

    @Test
    void setLocalRoleOnlyInsideATransaction() {
        assertError(run("SET LOCAL ROLE app"), "0A000", "setting configuration parameter \"role\" not supported");
        run("BEGIN", "BEGIN");
        assertThat(run("SET LOCAL role app", "SET").proceeds()).isTrue();
        assertError(run("SET role app"), "0A000", "setting configuration parameter \"role\" not supported");
    }

    @Test
    void syncCreateIndexNeedsAnEmptyTableOnceAllowed() {
        assertError(run("CREATE INDEX i ON t (a)"), "0A000", "unsupported mode. please use CREATE INDEX ASYNC.");
        run("SET disable_sync_create_index = off", "SET");
        Outcome o = session.beforeStatement(StatementClassifier.classifySingle("CREATE INDEX i ON app.t (a)"));
        assertThat(o.proceeds()).isTrue();
        assertThat(o.tableToCheck()).isEqualTo("\"app\".\"t\"");
        assertThat(o.emptinessProbe()).isEqualTo("SELECT NOT EXISTS (SELECT 1 FROM \"app\".\"t\")");
        assertThat(o.error().message()).isEqualTo("unsupported mode. please use CREATE INDEX ASYNC.");
        run("RESET disable_sync_create_index", "RESET");
        assertThat(run("CREATE INDEX i ON t (a)").action()).isEqualTo(Action.REFUSE);
    }

    @Test
    void setLocalSettingLastsUntilTheTransactionEnds() {
        run("BEGIN", "BEGIN");
        run("SET LOCAL disable_sync_create_index = false", "SET");
        assertThat(session.state().syncCreateIndexDisabled()).isFalse();
        run("COMMIT", "COMMIT");
        assertThat(session.state().syncCreateIndexDisabled()).isTrue();
    }

    @Test
    void analyzeIsRefusedInsideAnExplicitTransaction() {
        run("BEGIN", "BEGIN");
        assertThat(run("ANALYZE t").action()).as("[I]").isEqualTo(Action.REFUSE);
        setUp();
        assertThat(run("ANALYZE t", "ANALYZE").proceeds()).isTrue();
    }

    @Test
    void readyForQueryResynchronises() {
        session.onReadyForQuery('T');
        assertThat(session.tracker().inTransactionBlock()).isTrue();
        session.onReadyForQuery('E');
        assertError(
                run("SELECT 1"),
                "25P02",
                "current transaction is aborted, commands ignored until end of transaction block");
        session.onReadyForQuery('I');
        assertThat(run("SELECT 1", "SELECT 1").proceeds()).isTrue();
    }
}
