package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.BackendMessage.CommandComplete;
import dev.dsqllocal.pgwire.BackendMessage.ErrorResponse;
import dev.dsqllocal.pgwire.BackendMessage.ReadyForQuery;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.pgwire.FrontendMessage.Bind;
import dev.dsqllocal.pgwire.FrontendMessage.Execute;
import dev.dsqllocal.pgwire.FrontendMessage.Parse;
import dev.dsqllocal.pgwire.FrontendMessage.Query;
import dev.dsqllocal.pgwire.FrontendMessage.Sync;
import dev.dsqllocal.session.ClientRequest;
import dev.dsqllocal.session.PolicyDriver;
import dev.dsqllocal.session.SessionPolicy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dialect policy driven with typed requests and replies, as the gateway's session hands them over, with
 * PostgreSQL's answers played by the test: refused statements reach PostgreSQL as markers, marker errors come back
 * as DSQL's errors, completions feed the transaction rules.
 */
class DialectPolicyTest {

    private final DialectPolicy policy = new DialectPolicy(DialectRules.latest(), Clock.systemUTC());
    private final PolicyDriver driver = new PolicyDriver(policy, InternalNames::hide, "c");

    /** Sends a Query; returns the text PostgreSQL receives. */
    private String query(String sql) {
        FrontendMessage out = driver.sendOne(new Query(sql));
        assertThat(out).isInstanceOf(Query.class);
        return ((Query) out).sql();
    }

    private BackendMessage fromServer(BackendMessage message) {
        return driver.reply(message);
    }

    private static CommandComplete commandComplete(String tag) {
        return new CommandComplete(tag);
    }

    private static ReadyForQuery readyForQuery(char status) {
        return new ReadyForQuery(status);
    }

    private static ErrorResponse postgresError(String sqlstate, String message) {
        return DialectPolicy.errorResponse(DsqlError.error(sqlstate, message));
    }

    /** PostgreSQL's answer to a marker statement: 42703 naming the marker column. */
    private static ErrorResponse markerError(String sentSql) {
        String marker = sentSql.substring(sentSql.lastIndexOf("SELECT \"") + 8, sentSql.length() - 1);
        return postgresError("42703", "column \"" + marker + "\" does not exist");
    }

    private static Map<Character, String> fields(BackendMessage error) {
        assertThat(error).isInstanceOf(ErrorResponse.class);
        return ((ErrorResponse) error).fields();
    }

    private static char status(BackendMessage ready) {
        assertThat(ready).isInstanceOf(ReadyForQuery.class);
        return ((ReadyForQuery) ready).status();
    }

    @Test
    void theJobRunnerIsToldOnceTheTransactionThatSubmittedJobsHasEnded() {
        List<String> told = new ArrayList<>();
        AsyncJobs jobs = new AsyncJobs() {
            @Override
            public void submitted(String clusterId) {
                told.add("submitted " + clusterId);
            }

            @Override
            public void clusterInUse(String clusterId) {
                told.add("in use " + clusterId);
            }
        };
        SessionPolicy created = DialectPolicy.factory(DialectRules.latest(), Clock.systemUTC(), jobs)
                .create("cluster1", "admin");
        PolicyDriver session = new PolicyDriver(created, InternalNames::hide, "c");
        assertThat(told).containsExactly("in use cluster1");

        session.sendOne(new Query("BEGIN; CREATE INDEX ASYNC ix ON t (a)"));
        session.reply(commandComplete("BEGIN"));
        session.reply(commandComplete("SELECT 1"));
        session.reply(readyForQuery('T'));
        assertThat(told)
                .as("not committed yet: the runner could not see the job")
                .hasSize(1);

        session.sendOne(new Query("COMMIT"));
        session.reply(commandComplete("COMMIT"));
        session.reply(readyForQuery('I'));
        assertThat(told).containsExactly("in use cluster1", "submitted cluster1");

        session.sendOne(new Query("SELECT 1"));
        session.reply(commandComplete("SELECT 1"));
        session.reply(readyForQuery('I'));
        assertThat(told).as("once per submitting transaction").hasSize(2);
    }

    @Test
    void allowedQueriesPassUnchanged() {
        ClientRequest request = driver.request(new Query("SELECT 1"));
        assertThat(request.forwarded()).isTrue();
        assertThat(request.sqlChanged())
                .as("the client's bytes go on as they came")
                .isFalse();
        CommandComplete complete = commandComplete("SELECT 1");
        assertThat(fromServer(complete)).isSameAs(complete);
        ReadyForQuery ready = readyForQuery('I');
        assertThat(fromServer(ready)).isSameAs(ready);
    }

    @Test
    void aRefusedStatementReachesPostgresAsAMarkerAndComesBackAsDsqlsError() {
        String sent = query("TRUNCATE baseline_parent");
        assertThat(sent).startsWith("SELECT \"dsql-local refusal ").doesNotContain("TRUNCATE");
        Map<Character, String> error = fields(fromServer(markerError(sent)));
        assertThat(error)
                .containsEntry('C', "0A000")
                .containsEntry('M', "unsupported statement: Truncate")
                .containsEntry('S', "ERROR");
        assertThat(status(fromServer(readyForQuery('I')))).isEqualTo('I');
    }

    @Test
    void aRefusalPipelinedBehindAnotherQueryStillComesBackAsDsqlsError() {
        // pgJDBC with autocommit off: BEGIN as a Query, the statement's Parse/Bind/Execute/Sync right behind it,
        // all sent before the BEGIN's ReadyForQuery comes back (what Flyway's SET ROLE met).
        query("BEGIN");
        FrontendMessage parse = driver.sendOne(new Parse("", "SET ROLE 'admin'", new int[0]));
        driver.sendOne(Bind.UNNAMED);
        driver.sendOne(new Execute("", 0));
        driver.sendOne(Sync.INSTANCE);
        assertThat(parse).isInstanceOf(Parse.class);
        String sent = ((Parse) parse).sql();
        assertThat(sent).startsWith("SELECT \"dsql-local refusal ");
        fromServer(commandComplete("BEGIN"));
        fromServer(readyForQuery('T'));
        assertThat(fields(fromServer(markerError(sent))))
                .containsEntry('C', "0A000")
                .containsEntry('M', "setting configuration parameter \"role\" not supported");
        assertThat(status(fromServer(readyForQuery('E')))).isEqualTo('E');
    }

    @Test
    void statementsBeforeTheRefusedOneRunInTheSameImplicitTransaction() {
        String sent = query("INSERT INTO t VALUES (1); TRUNCATE t; SELECT 2");
        assertThat(sent)
                .startsWith("INSERT INTO t VALUES (1);\nSELECT \"dsql-local refusal ")
                .doesNotContain("SELECT 2");
    }

    @Test
    void secondDdlInATransactionIsRefusedAndTheTransactionStaysFailed() {
        query("BEGIN");
        fromServer(commandComplete("BEGIN"));
        fromServer(readyForQuery('T'));
        query("CREATE TABLE a (id int)");
        fromServer(commandComplete("CREATE TABLE"));
        fromServer(readyForQuery('T'));
        String sent = query("CREATE TABLE b (id int)");
        assertThat(fields(fromServer(markerError(sent))))
                .containsEntry('M', "multiple ddl statements not supported in a transaction");
        assertThat(status(fromServer(readyForQuery('E')))).isEqualTo('E');
        // PostgreSQL's own 25P02 for the next statement passes unchanged
        String next = query("SELECT 1");
        assertThat(next).startsWith("SELECT \"dsql-local refusal");
    }

    @Test
    void rowLimitTurnsTheCompletionIntoAnErrorAndFailsTheTransaction() {
        query("BEGIN");
        fromServer(commandComplete("BEGIN"));
        fromServer(readyForQuery('T'));
        query("INSERT INTO b SELECT generate_series(1, 3001)");
        assertThat(fields(fromServer(commandComplete("INSERT 0 3001"))))
                .containsEntry('C', "54000")
                .containsEntry('M', "transaction row limit exceeded");
        assertThat(status(fromServer(readyForQuery('T'))))
                .as("DSQL's view: the transaction failed")
                .isEqualTo('E');
        assertThat(query("COMMIT")).isEqualTo("ROLLBACK");
        fromServer(commandComplete("ROLLBACK"));
        fromServer(readyForQuery('I'));
        assertThat(query("SELECT 1")).isEqualTo("SELECT 1");
    }

    @Test
    void parseOfARefusedStatementIsReplacedKeepingNameAndParameterTypes() {
        FrontendMessage out = driver.sendOne(new Parse("s1", "SELECT pg_advisory_lock($1)", new int[] {23}));
        assertThat(out).isInstanceOf(Parse.class);
        Parse parse = (Parse) out;
        assertThat(parse.name()).isEqualTo("s1");
        String sql = parse.sql();
        assertThat(sql).startsWith("SELECT \"dsql-local refusal ");
        assertThat(parse.parameterTypes()).containsExactly(23);
        assertThat(fields(fromServer(markerError(sql)))).containsEntry('M', "function pg_advisory_lock not supported");
    }

    @Test
    void dsqlsOwnSettingBecomesAPostgresCustomSetting() {
        assertThat(query("SET disable_sync_create_index = off"))
                .isEqualTo("SET dsql_local.disable_sync_create_index = off");
        fromServer(commandComplete("SET"));
        fromServer(readyForQuery('I'));
        assertThat(policy.session().state().syncCreateIndexDisabled()).isFalse();
        assertThat(query("/* c */ RESET disable_sync_create_index"))
                .isEqualTo("/* c */ RESET dsql_local.disable_sync_create_index");
        assertThat(query("SHOW disable_sync_create_index")).isEqualTo("SHOW dsql_local.disable_sync_create_index");
        assertThat(query("SELECT 'disable_sync_create_index'")).isEqualTo("SELECT 'disable_sync_create_index'");
    }

    @Test
    void otherServerErrorsPassUnchanged() {
        query("SELECT 1/0");
        ErrorResponse error = postgresError("22012", "division by zero");
        assertThat(fromServer(error)).isSameAs(error);
    }

    @Test
    void namesOfInternalObjectsAreHiddenBeforeTheRulesSeeTheStatement() {
        ClientRequest request = driver.request(new Query("SELECT * FROM sys.dsql_local_jobs"));
        assertThat(request.forwarded()).isTrue();
        assertThat(request.sqlChanged()).isTrue();
        assertThat(((Query) request.messageToRun()).sql()).isEqualTo("SELECT * FROM sys.dsql_l0cal_jobs");
        assertThat(request.statements().get(0).statement().text()).contains("dsql_l0cal_jobs");
    }

    @Test
    void extendedProtocolExecuteIsCheckedAgainstTheTransaction() {
        List<FrontendMessage> sent = new ArrayList<>();
        for (String sql : List.of("BEGIN", "CREATE TABLE a (id int)", "CREATE TABLE b (id int)")) {
            driver.sendOne(new Parse("", sql, new int[0]));
            driver.sendOne(Bind.UNNAMED);
            sent.add(driver.sendOne(new Execute("", 0)));
        }
        assertThat(sent.get(0)).isEqualTo(new Execute("", 0));
        assertThat(sent.get(1)).isEqualTo(new Execute("", 0));
        assertThat(sent.get(2)).as("the third Execute became a marker Parse").isInstanceOf(Parse.class);
        Parse replaced = (Parse) sent.get(2);
        assertThat(replaced.name()).isEqualTo(DialectPolicy.MARKER_STATEMENT);
        String marker = replaced.sql();
        fromServer(commandComplete("BEGIN"));
        fromServer(commandComplete("CREATE TABLE"));
        assertThat(fields(fromServer(markerError(marker))))
                .containsEntry('M', "multiple ddl statements not supported in a transaction");
    }

    @Test
    void createIndexAsyncIsAnsweredWithDsqlsTagAndWithoutTheRewrittenStatementsContext() {
        String sent = query("CREATE INDEX ASYNC ix ON t (a); CREATE INDEX ASYNC iy ON nowhere (b)");
        assertThat(sent)
                .startsWith("SELECT job_id FROM sys.dsql_local_create_index_async($dsql_local$CREATE INDEX ")
                .doesNotContain("ASYNC");
        assertThat(fromServer(commandComplete("SELECT 1"))).isEqualTo(new CommandComplete("CREATE INDEX"));

        Map<Character, String> postgres = new LinkedHashMap<>();
        for (String[] f : new String[][] {
            {"S", "ERROR"},
            {"C", "42P01"},
            {"M", "relation \"nowhere\" does not exist"},
            {"W", "SQL statement \"CREATE INDEX iy ON nowhere (b)\" PL/pgSQL function ..."}
        }) {
            postgres.put(f[0].charAt(0), f[1]);
        }
        Map<Character, String> fields = fields(fromServer(new ErrorResponse(postgres)));
        assertThat(fields)
                .containsEntry('C', "42P01")
                .containsEntry('M', "relation \"nowhere\" does not exist")
                .doesNotContainKey('W');
        fromServer(readyForQuery('I'));
    }

    /** An ErrorResponse as PostgreSQL sends it for a RAISE in a PL/pgSQL function (file, line, routine, context). */
    private static ErrorResponse raisedError(String sqlstate, String message, String detail, String context) {
        Map<Character, String> f = new LinkedHashMap<>();
        f.put('S', "ERROR");
        f.put('V', "ERROR");
        f.put('C', sqlstate);
        f.put('M', message);
        if (detail != null) {
            f.put('D', detail);
        }
        f.put('W', context);
        f.put('F', "pl_exec.c");
        f.put('L', "3911");
        f.put('R', "exec_stmt_raise");
        return new ErrorResponse(f);
    }

    @Test
    void theTemplatesLimitErrorsReachTheClientAsDsqlWordsThemWithoutTheTriggerContext() {
        query("INSERT INTO t SELECT g FROM generate_series(1, 3001) g");
        Map<Character, String> rows = fields(fromServer(raisedError(
                "54000",
                "transaction row limit exceeded",
                null,
                "PL/pgSQL function sys.dsql_local_count_changes() line 22 at RAISE")));
        assertThat(rows)
                .containsEntry('C', "54000")
                .containsEntry('M', "transaction row limit exceeded")
                .containsEntry('S', "ERROR")
                .doesNotContainKeys('W', 'F', 'L', 'R', 'D');
        fromServer(readyForQuery('I'));

        query("COMMIT");
        Map<Character, String> size = fields(fromServer(raisedError(
                "54000",
                "transaction size limit 10mb exceeded",
                "Current transaction size 12mb > 10mb",
                "PL/pgSQL function sys.dsql_local_size_limit_exceeded() line 5 at RAISE")));
        assertThat(size)
                .containsEntry('C', "54000")
                .containsEntry('M', "transaction size limit 10mb exceeded")
                .containsEntry('D', "Current transaction size 12mb > 10mb")
                .doesNotContainKeys('W', 'F', 'L', 'R');
        fromServer(readyForQuery('I'));
    }

    @Test
    void aUsersOwn54000PassesUntouched() {
        query("SELECT f()");
        ErrorResponse original =
                raisedError("54000", "transaction row limit exceeded", null, "SQL function \"f\" statement 1");
        BackendMessage out = fromServer(original);
        assertThat(out).isSameAs(original);
        assertThat(fields(out)).containsKey('W');
        fromServer(readyForQuery('I'));
    }
}
