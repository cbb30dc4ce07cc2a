package dev.dsqllocal.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.BackendMessage.CommandComplete;
import dev.dsqllocal.pgwire.BackendMessage.ErrorResponse;
import dev.dsqllocal.pgwire.BackendMessage.NoticeResponse;
import dev.dsqllocal.pgwire.BackendMessage.ReadyForQuery;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.pgwire.FrontendMessage.Bind;
import dev.dsqllocal.pgwire.FrontendMessage.Execute;
import dev.dsqllocal.pgwire.FrontendMessage.Parse;
import dev.dsqllocal.pgwire.FrontendMessage.Query;
import dev.dsqllocal.session.PolicyDriver;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.sql.StatementClassifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The optimistic-concurrency policy driven with typed requests and replies, as the gateway's session hands them
 * over, with PostgreSQL's answers played by the test; several sessions of one cluster share the catalog versions.
 */
class ConcurrencyPolicyTest {

    private final CatalogVersions catalogs = new CatalogVersions();
    private final List<Conflict> injected = new ArrayList<>();
    private final SessionPolicy.Factory factory = ConcurrencyPolicy.factory(
            SessionPolicy.Factory.NONE,
            (clusterId, tables) -> injected.isEmpty() ? Optional.empty() : Optional.of(injected.remove(0)),
            catalogs);

    private PolicyDriver session() {
        return new PolicyDriver(factory, "c");
    }

    /** Runs a simple Query that PostgreSQL answers with {@code tag} and ReadyForQuery {@code status}. */
    private static void run(PolicyDriver s, String sql, String tag, char status) {
        assertThat(s.sendOne(new Query(sql))).isEqualTo(new Query(sql));
        assertThat(s.reply(new CommandComplete(tag))).isEqualTo(new CommandComplete(tag));
        assertThat(s.reply(new ReadyForQuery(status))).isEqualTo(new ReadyForQuery(status));
    }

    /** PostgreSQL's answers to the gateway's {@code ROLLBACK; DO ... RAISE} for {@code conflict}. */
    private static BackendMessage answerRollbackAndRaise(PolicyDriver s, Conflict conflict, char statusAfter) {
        assertThat(s.reply(new CommandComplete("ROLLBACK")))
                .as("the gateway's own ROLLBACK is not the client's")
                .isNull();
        BackendMessage error = s.reply(raised("40001", conflict.message()));
        assertThat(s.reply(new ReadyForQuery(statusAfter))).isEqualTo(new ReadyForQuery(statusAfter));
        return error;
    }

    private static ErrorResponse raised(String code, String message) {
        Map<Character, String> fields = new LinkedHashMap<>();
        fields.put('S', "ERROR");
        fields.put('V', "ERROR");
        fields.put('C', code);
        fields.put('M', message);
        fields.put('W', "PL/pgSQL function inline_code_block line 1 at RAISE");
        return new ErrorResponse(fields);
    }

    private static String failingQuery(Conflict conflict) {
        return "ROLLBACK;\nDO $dsql_local$BEGIN RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = '"
                + conflict.message() + "'; END$dsql_local$";
    }

    @Test
    void anotherSessionsCommittedDdlFailsTheNextStatementThatTouchesStorageOnceWithOc001() {
        PolicyDriver a = session();
        PolicyDriver b = session();
        run(b, "SELECT 1", "SELECT 1", 'I');
        run(a, "CREATE TABLE t (id int)", "CREATE TABLE", 'I');

        assertThat(b.sendOne(new Query("SELECT 1")))
                .as("SELECT 1 touches no storage")
                .isEqualTo(new Query("SELECT 1"));
        b.reply(new CommandComplete("SELECT 1"));
        b.reply(new ReadyForQuery('I'));
        assertThat(b.sendOne(new Query("SELECT * FROM t"))).isEqualTo(new Query(failingQuery(Conflict.OC001)));
        BackendMessage error = answerRollbackAndRaise(b, Conflict.OC001, 'I');
        assertThat(((ErrorResponse) error).fields())
                .containsEntry('C', "40001")
                .containsEntry('M', "schema has been updated by another transaction (OC001)")
                .doesNotContainKey('W');
        assertThat(b.sendOne(new Query("SELECT * FROM t")))
                .as("once: the retry runs")
                .isEqualTo(new Query("SELECT * FROM t"));
        assertThat(a.sendOne(new Query("SELECT * FROM t")))
                .as("the session that ran the DDL is current")
                .isEqualTo(new Query("SELECT * FROM t"));
    }

    @Test
    void ddlThatDidNothingDoesNotChangeTheCatalog() {
        PolicyDriver a = session();
        PolicyDriver b = session();
        run(b, "SELECT 1", "SELECT 1", 'I');
        a.sendOne(new Query("CREATE TABLE IF NOT EXISTS t (id int)"));
        Map<Character, String> notice = new LinkedHashMap<>();
        notice.put('S', "NOTICE");
        notice.put('C', "42P07");
        notice.put('M', "relation \"t\" already exists, skipping");
        a.reply(new NoticeResponse(notice));
        a.reply(new CommandComplete("CREATE TABLE"));
        a.reply(new ReadyForQuery('I'));
        assertThat(b.sendOne(new Query("SELECT * FROM t"))).isEqualTo(new Query("SELECT * FROM t"));
    }

    @Test
    void anInjectedConflictFailsTheCommitThroughPostgresAndTheClientSeesItOnce() {
        PolicyDriver s = session();
        run(s, "BEGIN", "BEGIN", 'T');
        run(s, "INSERT INTO items VALUES (1)", "INSERT 0 1", 'T');
        injected.add(Conflict.OC000);
        assertThat(s.sendOne(new Query("COMMIT"))).isEqualTo(new Query(failingQuery(Conflict.OC000)));
        BackendMessage error = answerRollbackAndRaise(s, Conflict.OC000, 'I');
        assertThat(((ErrorResponse) error).message()).isEqualTo("change conflicts with another transaction (OC000)");
        run(s, "COMMIT", "COMMIT", 'I');
    }

    @Test
    void anExecuteThatMustFailBecomesTheGatewaysOwnRollbackAndRaiseWhoseAnswersTheClientNeverSees() {
        PolicyDriver a = session();
        PolicyDriver b = session();
        run(b, "SELECT 1", "SELECT 1", 'I');
        run(a, "DROP TABLE old", "DROP TABLE", 'I');
        assertThat(b.sendOne(new Parse("", "UPDATE t SET v = 1", new int[0]))).isInstanceOf(Parse.class);
        assertThat(b.sendOne(Bind.UNNAMED)).isEqualTo(Bind.UNNAMED);
        List<FrontendMessage> sent = b.send(new Execute("", 0));
        assertThat(sent).hasSize(6);
        assertThat(((Parse) sent.get(0)).sql()).isEqualTo("ROLLBACK");
        assertThat(((Parse) sent.get(3)).sql()).contains("OC001");
        assertThat(b.sendOne(FrontendMessage.Sync.INSTANCE)).isEqualTo(FrontendMessage.Sync.INSTANCE);
        // PostgreSQL: the client's Parse and Bind, then the gateway's three ROLLBACK messages and the raise.
        BackendMessage parseComplete = new BackendMessage.Bodiless(BackendMessage.PARSE_COMPLETE);
        BackendMessage bindComplete = new BackendMessage.Bodiless(BackendMessage.BIND_COMPLETE);
        assertThat(b.reply(parseComplete)).isSameAs(parseComplete);
        assertThat(b.reply(bindComplete)).isSameAs(bindComplete);
        assertThat(b.reply(parseComplete)).isNull();
        assertThat(b.reply(bindComplete)).isNull();
        assertThat(b.reply(new CommandComplete("ROLLBACK"))).isNull();
        assertThat(b.reply(parseComplete)).isNull();
        assertThat(b.reply(bindComplete)).isNull();
        assertThat(((ErrorResponse) b.reply(raised("40001", Conflict.OC001.message()))).sqlState())
                .isEqualTo("40001");
        assertThat(b.reply(new ReadyForQuery('I'))).isEqualTo(new ReadyForQuery('I'));
    }

    @Test
    void ddlRollsBackOtherSessionsIdleTransactionsWhichThenFailWithOc001ExceptForRollback() {
        PolicyDriver idle = session();
        PolicyDriver other = session();
        PolicyDriver ddl = session();
        for (PolicyDriver s : List.of(idle, other)) {
            run(s, "BEGIN", "BEGIN", 'T');
            run(s, "SELECT * FROM t", "SELECT 1", 'T');
        }
        ddl.sendOne(new Query("ALTER TABLE t ADD COLUMN c int"));
        for (PolicyDriver s : List.of(idle, other)) {
            assertThat(s.toServer).as("rolled back on PostgreSQL's side").containsExactly(new Query("ROLLBACK"));
            assertThat(s.reply(new CommandComplete("ROLLBACK"))).isNull();
            assertThat(s.reply(new ReadyForQuery('I'))).isNull();
        }
        assertThat(idle.sendOne(new Query("SELECT 1")))
                .as("its transaction is gone, even SELECT 1 fails")
                .isEqualTo(new Query(failingQuery(Conflict.OC001)));
        assertThat(other.sendOne(new Query("ROLLBACK"))).isEqualTo(new Query("ROLLBACK"));
        Map<Character, String> warning = new LinkedHashMap<>();
        warning.put('S', "WARNING");
        warning.put('C', "25P01");
        warning.put('M', "there is no transaction in progress");
        assertThat(other.reply(new NoticeResponse(warning)))
                .as("the gateway ended it, not the client")
                .isNull();
        assertThat(other.reply(new CommandComplete("ROLLBACK"))).isEqualTo(new CommandComplete("ROLLBACK"));
    }

    @Test
    void findsTheTableADmlStatementWrites() {
        assertThat(StatementShapes.dmlTarget(
                        StatementClassifier.classifySingle("INSERT INTO app.\"Orders\" (id) VALUES (1)")))
                .contains("app.orders");
        assertThat(StatementShapes.dmlTarget(StatementClassifier.classifySingle("UPDATE ONLY items SET v = 1")))
                .contains("items");
        assertThat(StatementShapes.dmlTarget(
                        StatementClassifier.classifySingle("WITH x AS (SELECT 1) DELETE FROM public.items USING x")))
                .contains("public.items");
        assertThat(StatementShapes.dmlTarget(StatementClassifier.classifySingle("SELECT * FROM items FOR UPDATE")))
                .isEmpty();
    }

    @Test
    void postgresConflictsBecomeDsqlOc000AndOtherErrorsPassUntouched() {
        for (String code : new String[] {"40001", "55P03", "40P01"}) {
            ErrorResponse rewritten = Conflict.asDsqlConflict(error(code, "could not serialize access"));
            assertThat(rewritten.fields())
                    .containsEntry('C', "40001")
                    .containsEntry('M', "change conflicts with another transaction (OC000)")
                    .doesNotContainKey('W');
        }
        ErrorResponse other = error("23505", "duplicate key");
        assertThat(Conflict.asDsqlConflict(other)).isSameAs(other);
        ErrorResponse own =
                Conflict.asDsqlConflict(error("40001", "schema has been updated by another transaction (OC001)"));
        assertThat(own.fields())
                .containsEntry('M', "schema has been updated by another transaction (OC001)")
                .doesNotContainKey('W');
        PolicyDriver s = session();
        s.sendOne(new Query("UPDATE t SET v = 2"));
        assertThat(((ErrorResponse) s.reply(error("55P03", "canceling statement due to lock timeout"))).message())
                .as("through the policy")
                .isEqualTo("change conflicts with another transaction (OC000)");
    }

    @Test
    void recognisesTheNoticeOfDdlThatDidNothing() {
        assertThat(ConcurrencyPolicy.isSkippedDdlNotice(notice("42P07", "relation \"t\" already exists, skipping")))
                .isTrue();
        assertThat(ConcurrencyPolicy.isSkippedDdlNotice(notice("00000", "table \"t\" does not exist, skipping")))
                .isTrue();
        assertThat(ConcurrencyPolicy.isSkippedDdlNotice(notice("00000", "drop cascades to table t")))
                .isFalse();
        assertThat(ConcurrencyPolicy.isSkippedDdlNotice(notice("P0001", "user notice, skipping")))
                .isFalse();
    }

    private static NoticeResponse notice(String code, String message) {
        Map<Character, String> fields = new LinkedHashMap<>();
        fields.put('S', "NOTICE");
        fields.put('V', "NOTICE");
        fields.put('C', code);
        fields.put('M', message);
        return new NoticeResponse(fields);
    }

    private static ErrorResponse error(String code, String message) {
        Map<Character, String> fields = new LinkedHashMap<>();
        fields.put('S', "ERROR");
        fields.put('V', "ERROR");
        fields.put('C', code);
        fields.put('M', message);
        fields.put('W', "context");
        return new ErrorResponse(fields);
    }
}
