package dev.dsqllocal.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.BackendMessage.CommandComplete;
import dev.dsqllocal.pgwire.BackendMessage.ErrorResponse;
import dev.dsqllocal.pgwire.BackendMessage.ReadyForQuery;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.pgwire.FrontendMessage.Query;
import dev.dsqllocal.session.PolicyDriver;
import dev.dsqllocal.session.SessionPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two sessions of one cluster driven without a network: the test plays both clients and PostgreSQL. */
class CommitTimeConflictsTest {
    private final CatalogVersions catalogs = new CatalogVersions();
    private final SessionPolicy.Factory factory =
            ConcurrencyPolicy.factory(SessionPolicy.Factory.NONE, CommitFaults.NONE, catalogs);
    private final PolicyDriver a = new PolicyDriver(factory, "c1");
    private final PolicyDriver b = new PolicyDriver(factory, "c1");

    private static void simple(PolicyDriver s, String sql, String tag, char status) {
        s.send(new Query(sql));
        assertThat(s.reply(new CommandComplete(tag))).isNotNull();
        assertThat(s.reply(new ReadyForQuery(status))).isNotNull();
    }

    /** PostgreSQL's answers to one of the gateway's own extended-protocol statements; returns what the client gets. */
    private static BackendMessage ownStatement(PolicyDriver s, String tag) {
        for (byte type : new byte[] {
            BackendMessage.CLOSE_COMPLETE,
            BackendMessage.CLOSE_COMPLETE,
            BackendMessage.PARSE_COMPLETE,
            BackendMessage.BIND_COMPLETE
        }) {
            assertThat(s.reply(new BackendMessage.Bodiless(type))).isNull();
        }
        return s.reply(new CommandComplete(tag));
    }

    private static void deferredUpdate(PolicyDriver b) {
        assertThat(b.reply(new CommandComplete("SAVEPOINT"))).isNull();
        assertThat(b.reply(new CommandComplete("SET"))).isNull();
        // PostgreSQL gave up waiting for the other's row lock: the error is not the client's answer.
        assertThat(b.reply(ErrorResponse.of("ERROR", "55P03", "canceling statement due to lock timeout", null, null)))
                .isNull();
        assertThat(b.reply(new ReadyForQuery('E'))).isNull();
        // The gateway rolls back to its savepoint and counts the rows on the snapshot.
        assertThat(b.toServer)
                .anyMatch(m -> m instanceof FrontendMessage.Parse p && p.sql().equals("SELECT 1 FROM t WHERE id = 1"));
        assertThat(ownStatement(b, "ROLLBACK")).isNull();
        assertThat(ownStatement(b, "RELEASE")).isNull();
        assertThat(ownStatement(b, "SELECT 1")).isEqualTo(new CommandComplete("UPDATE 1"));
        assertThat(b.reply(new ReadyForQuery('T'))).isEqualTo(new ReadyForQuery('T'));
    }

    @Test
    void aWriteAloneOnItsClusterIsSentAsItCame() {
        simple(a, "BEGIN", "BEGIN", 'T');
        assertThat(a.send(new Query("UPDATE t SET n = 1 WHERE id = 1")))
                .containsExactly(new Query("UPDATE t SET n = 1 WHERE id = 1"));
    }

    @Test
    void aWriteBlockedByAnotherOpenTransactionAnswersOnItsSnapshotAndWinsByCommittingFirst() {
        simple(a, "BEGIN", "BEGIN", 'T');
        simple(a, "UPDATE t SET n = 1 WHERE id = 1", "UPDATE 1", 'T');
        simple(b, "BEGIN", "BEGIN", 'T');

        List<FrontendMessage> sent = b.send(new Query("UPDATE t SET n = 2 WHERE id = 1"));
        assertThat(((Query) sent.get(0)).sql())
                .isEqualTo(
                        "SAVEPOINT dsql_local_w;\nSET LOCAL lock_timeout = '5ms';\nUPDATE t SET n = 2 WHERE id = 1;\n"
                                + "RELEASE SAVEPOINT dsql_local_w");
        deferredUpdate(b);

        // b commits first: a (idle) is rolled back and doomed, b's write runs again before its COMMIT.
        a.toServer.clear();
        List<FrontendMessage> commit = b.send(new Query("COMMIT"));
        assertThat(a.toServer).containsExactly(new Query("ROLLBACK"));
        assertThat(commit)
                .anyMatch(
                        m -> m instanceof FrontendMessage.Parse p && p.sql().equals("UPDATE t SET n = 2 WHERE id = 1"));
        assertThat(commit.get(commit.size() - 1)).isEqualTo(new Query("COMMIT"));

        // a's next request (its COMMIT) fails with OC000.
        a.reply(new CommandComplete("ROLLBACK"));
        a.reply(new ReadyForQuery('I'));
        assertThat(((Query) a.send(new Query("COMMIT")).get(0)).sql()).contains("(OC000)");
    }

    @Test
    void theLaterCommitterOfAConflictFails() {
        simple(a, "BEGIN", "BEGIN", 'T');
        simple(a, "UPDATE t SET n = 1 WHERE id = 1", "UPDATE 1", 'T');
        simple(b, "BEGIN", "BEGIN", 'T');
        b.send(new Query("UPDATE t SET n = 2 WHERE id = 1"));
        deferredUpdate(b);

        simple(a, "COMMIT", "COMMIT", 'I'); // a commits first and wins
        List<FrontendMessage> commit = b.send(new Query("COMMIT"));
        assertThat(((Query) commit.get(0)).sql()).startsWith("ROLLBACK;").contains("(OC000)");
    }

    @Test
    void aBatchsNextStatementWaitsForAConflictingExecuteToBeAnsweredOnItsSnapshot() {
        simple(a, "BEGIN", "BEGIN", 'T');
        simple(a, "UPDATE t SET n = 1 WHERE id = 1", "UPDATE 1", 'T');
        simple(b, "BEGIN", "BEGIN", 'T');

        b.send(new FrontendMessage.Parse("", "UPDATE t SET n = 2 WHERE id = 1", new int[0]));
        b.send(FrontendMessage.Bind.UNNAMED);
        List<FrontendMessage> sent = b.send(new FrontendMessage.Execute("", 0));
        assertThat(sent)
                .anyMatch(m -> m instanceof FrontendMessage.Parse p && p.sql().startsWith("RELEASE"));
        assertThat(sent).doesNotContain(FrontendMessage.Sync.INSTANCE);

        // The batch goes on before the outcome is known: its next message waits, the gateway ends the group itself.
        b.toServer.clear();
        assertThat(b.request(FrontendMessage.Bind.UNNAMED).heldBack()).isTrue();
        assertThat(b.holding).isTrue();
        assertThat(b.toServer).containsExactly(FrontendMessage.Sync.INSTANCE);

        assertThat(b.reply(new BackendMessage.Bodiless(BackendMessage.PARSE_COMPLETE)))
                .isNotNull();
        assertThat(b.reply(new BackendMessage.Bodiless(BackendMessage.BIND_COMPLETE)))
                .isNotNull();
        assertThat(ownStatement(b, "SAVEPOINT")).isNull();
        assertThat(ownStatement(b, "SET")).isNull();
        assertThat(b.reply(ErrorResponse.of("ERROR", "55P03", "canceling statement due to lock timeout", null, null)))
                .isNull();
        b.toServer.clear();
        assertThat(b.reply(new ReadyForQuery('E'))).as("the gateway's own Sync").isNull();
        assertThat(b.toServer)
                .anyMatch(m -> m instanceof FrontendMessage.Parse p && p.sql().equals("SELECT 1 FROM t WHERE id = 1"));
        assertThat(ownStatement(b, "ROLLBACK")).isNull();
        assertThat(ownStatement(b, "RELEASE")).isNull();
        assertThat(ownStatement(b, "SELECT 1")).isEqualTo(new CommandComplete("UPDATE 1"));
        assertThat(b.reply(new ReadyForQuery('T')))
                .as("the client's group is not over")
                .isNull();
        assertThat(b.holding).isFalse();

        // The held message is handed over again and goes as it came.
        assertThat(b.send(FrontendMessage.Bind.UNNAMED)).containsExactly(FrontendMessage.Bind.UNNAMED);
    }

    @Test
    void aConflictingExecuteFollowedByTheClientsSyncIsAnsweredAtItsReadyForQuery() {
        simple(a, "BEGIN", "BEGIN", 'T');
        simple(a, "UPDATE t SET n = 1 WHERE id = 1", "UPDATE 1", 'T');
        simple(b, "BEGIN", "BEGIN", 'T');

        b.send(new FrontendMessage.Parse("", "UPDATE t SET n = 2 WHERE id = 1", new int[0]));
        b.send(FrontendMessage.Bind.UNNAMED);
        b.send(new FrontendMessage.Execute("", 0));
        assertThat(b.send(FrontendMessage.Sync.INSTANCE)).containsExactly(FrontendMessage.Sync.INSTANCE);
        b.reply(new BackendMessage.Bodiless(BackendMessage.PARSE_COMPLETE));
        b.reply(new BackendMessage.Bodiless(BackendMessage.BIND_COMPLETE));
        assertThat(ownStatement(b, "SAVEPOINT")).isNull();
        assertThat(ownStatement(b, "SET")).isNull();
        assertThat(b.reply(ErrorResponse.of("ERROR", "55P03", "canceling statement due to lock timeout", null, null)))
                .isNull();
        assertThat(b.reply(new ReadyForQuery('E')))
                .as("the client's, answered after the snapshot")
                .isNull();
        assertThat(ownStatement(b, "ROLLBACK")).isNull();
        assertThat(ownStatement(b, "RELEASE")).isNull();
        assertThat(ownStatement(b, "SELECT 1")).isEqualTo(new CommandComplete("UPDATE 1"));
        assertThat(b.reply(new ReadyForQuery('T'))).isEqualTo(new ReadyForQuery('T'));
        assertThat(b.holding).isFalse();
    }

    @Test
    void anAutocommitExecuteThatMeetsARowLockRunsInTheGatewaysTransactionAndRunsAgain() {
        simple(a, "BEGIN", "BEGIN", 'T');
        simple(a, "UPDATE t SET n = 1 WHERE id = 1", "UPDATE 1", 'T');

        b.send(new FrontendMessage.Parse("", "UPDATE t SET n = 2 WHERE id = 1", new int[0]));
        b.send(FrontendMessage.Bind.UNNAMED);
        List<FrontendMessage> sent = b.send(new FrontendMessage.Execute("", 0));
        assertThat(sent)
                .anyMatch(m -> m instanceof FrontendMessage.Parse p && p.sql().equals("BEGIN"));
        // The client's Sync waits: the gateway's COMMIT goes before it, after the write has run again if need be.
        assertThat(b.request(FrontendMessage.Sync.INSTANCE).heldBack()).isTrue();
        b.reply(new BackendMessage.Bodiless(BackendMessage.PARSE_COMPLETE));
        b.reply(new BackendMessage.Bodiless(BackendMessage.BIND_COMPLETE));
        assertThat(ownStatement(b, "BEGIN")).isNull();
        assertThat(ownStatement(b, "SAVEPOINT")).isNull();
        assertThat(ownStatement(b, "SET")).isNull();
        assertThat(b.reply(ErrorResponse.of("ERROR", "55P03", "canceling statement due to lock timeout", null, null)))
                .isNull();
        a.toServer.clear();
        b.toServer.clear();
        assertThat(b.reply(new ReadyForQuery('E'))).isNull();
        // a, idle, loses; the write runs again from the savepoint and its answer is the client's.
        assertThat(a.toServer).containsExactly(new Query("ROLLBACK"));
        assertThat(b.toServer)
                .anyMatch(
                        m -> m instanceof FrontendMessage.Parse p && p.sql().equals("UPDATE t SET n = 2 WHERE id = 1"));
        assertThat(ownStatement(b, "ROLLBACK")).isNull();
        assertThat(ownStatement(b, "SET")).isNull();
        assertThat(ownStatement(b, "UPDATE 1")).isEqualTo(new CommandComplete("UPDATE 1"));
        assertThat(ownStatement(b, "RELEASE")).isNull();
        assertThat(b.reply(new ReadyForQuery('T'))).isNull();
        assertThat(b.holding).isFalse();

        // The client's Sync, handed over again, commits the gateway's transaction first.
        List<FrontendMessage> sync = b.send(FrontendMessage.Sync.INSTANCE);
        assertThat(sync)
                .anyMatch(m -> m instanceof FrontendMessage.Parse p && p.sql().equals("COMMIT"));
        assertThat(b.reply(new ReadyForQuery('T'))).isNull();
        assertThat(ownStatement(b, "COMMIT")).isNull();
        assertThat(b.reply(new ReadyForQuery('I'))).isEqualTo(new ReadyForQuery('I'));
    }

    @Test
    void aMultiStatementQueryThatMayConflictRunsOneStatementAtATime() {
        simple(a, "BEGIN", "BEGIN", 'T');
        simple(a, "UPDATE t SET n = 1 WHERE id = 1", "UPDATE 1", 'T');
        simple(b, "BEGIN", "BEGIN", 'T');

        List<FrontendMessage> sent = b.send(new Query("UPDATE t SET n = 2 WHERE id = 2; SELECT n FROM t"));
        assertThat(((Query) sent.get(0)).sql())
                .isEqualTo(
                        "SAVEPOINT dsql_local_w;\nSET LOCAL lock_timeout = '5ms';\nUPDATE t SET n = 2 WHERE id = 2;\n"
                                + "RELEASE SAVEPOINT dsql_local_w");
        assertThat(b.holding).as("a pipelined request waits for the rest").isTrue();
        assertThat(b.reply(new CommandComplete("SAVEPOINT"))).isNull();
        assertThat(b.reply(new CommandComplete("SET"))).isNull();
        assertThat(b.reply(new CommandComplete("UPDATE 1"))).isEqualTo(new CommandComplete("UPDATE 1"));
        assertThat(b.reply(new CommandComplete("RELEASE"))).isNull();
        b.toServer.clear();
        assertThat(b.reply(new ReadyForQuery('T'))).as("the Query goes on").isNull();
        assertThat(b.toServer).containsExactly(new Query("SELECT n FROM t"));
        assertThat(b.reply(new CommandComplete("SELECT 2"))).isEqualTo(new CommandComplete("SELECT 2"));
        assertThat(b.reply(new ReadyForQuery('T'))).isEqualTo(new ReadyForQuery('T'));
        assertThat(b.holding).isFalse();
    }
}
