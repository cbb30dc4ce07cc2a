package dev.dsqllocal.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.testsupport.ShippedEmulator;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Commit-time conflicts that need a program rather than a conformance case: what pgJDBC sends as one group of
 * messages (batches, multi-statement strings) in a transaction and in autocommit, autocommit writes that meet an open
 * transaction's row lock, RETURNING in binary, and which transactions lose when several hold rows of one table.
 * Through the emulator as shipped (gateway, IAM tokens, real PostgreSQL).
 */
class CommitTimeConflictsIT {
    private static final String OC000 = "change conflicts with another transaction (OC000)";

    @RegisterExtension
    static final ShippedEmulator EMULATOR = new ShippedEmulator();

    private static Connection connect() throws SQLException {
        return EMULATOR.connect();
    }

    private static void table(String name) throws SQLException {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + name + " (id int PRIMARY KEY, v int)");
            st.execute("INSERT INTO " + name + " VALUES (1, 0), (2, 0), (3, 0)");
        }
    }

    private static String values(Statement st, String table) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (ResultSet rs = st.executeQuery("SELECT v FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                out.append(out.length() == 0 ? "" : ",").append(rs.getInt(1));
            }
        }
        return out.toString();
    }

    private static void assertConflict(SQLException e) {
        assertThat((Object) e).isNotNull();
        assertThat(e.getSQLState()).isEqualTo("40001");
        assertThat(e.getMessage()).contains(OC000);
    }

    /** b's batch updates rows 2, 1 (held by a), 3 with the value {@code v}. */
    private static int[] batch(Connection b, String table, int v) throws SQLException {
        try (PreparedStatement update = b.prepareStatement("UPDATE " + table + " SET v = ? WHERE id = ?")) {
            for (int id : new int[] {2, 1, 3}) {
                update.setInt(1, v);
                update.setInt(2, id);
                update.addBatch();
            }
            return update.executeBatch();
        }
    }

    @Test
    void aBatchInATransactionMeetingAnotherTransactionsRowSucceedsAndTheFirstCommitterWins() throws Exception {
        table("ctb_txn");
        try (Connection a = connect();
                Connection b = connect();
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);

            // a holds row 1; b's batch runs whole, at once; a commits first, so b's COMMIT fails and applies nothing.
            sa.executeUpdate("UPDATE ctb_txn SET v = 1 WHERE id = 1");
            assertThat(batch(b, "ctb_txn", 2)).containsExactly(1, 1, 1);
            a.commit();
            assertConflict(catchThrowableOfType(SQLException.class, b::commit));
            b.rollback();
            assertThat(values(sb, "ctb_txn")).isEqualTo("1,0,0");
            b.commit();

            // The other order: b commits first and its whole batch applies; a's COMMIT fails.
            sa.executeUpdate("UPDATE ctb_txn SET v = 3 WHERE id = 1");
            assertThat(batch(b, "ctb_txn", 4)).containsExactly(1, 1, 1);
            b.commit();
            assertConflict(catchThrowableOfType(SQLException.class, a::commit));
            a.rollback();
            assertThat(values(sa, "ctb_txn")).isEqualTo("4,4,4");
            a.commit();
        }
    }

    @Test
    void aMultiStatementStringInATransactionMeetingAnotherTransactionsRowSucceeds() throws Exception {
        table("ctb_multi");
        try (Connection a = connect();
                Connection b = connect();
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.executeUpdate("UPDATE ctb_multi SET v = 1 WHERE id = 1");
            // pgJDBC sends each statement as its own Parse/Bind/Execute, all before one Sync.
            assertThat(sb.execute("UPDATE ctb_multi SET v = 2 WHERE id = 2; UPDATE ctb_multi SET v = 2 WHERE id = 1;"
                            + " SELECT v FROM ctb_multi WHERE id = 3"))
                    .isFalse();
            assertThat(sb.getUpdateCount()).isEqualTo(1);
            assertThat(sb.getMoreResults()).isFalse();
            assertThat(sb.getUpdateCount()).isEqualTo(1);
            assertThat(sb.getMoreResults()).isTrue();
            b.commit();
            assertConflict(catchThrowableOfType(SQLException.class, a::commit));
            a.rollback();
            assertThat(values(sa, "ctb_multi")).isEqualTo("2,2,0");
            a.commit();
        }
    }

    @Test
    void anAutocommitBatchMeetingAnOpenTransactionsRowCommitsAndThatTransactionFails() throws Exception {
        table("ctb_auto");
        try (Connection a = connect();
                Connection b = connect();
                Statement sa = a.createStatement()) {
            a.setAutoCommit(false);
            sa.executeUpdate("UPDATE ctb_auto SET v = 1 WHERE id = 1");
            // b's batch is one implicit transaction, committed at once: a, still open, loses.
            assertThat(batch(b, "ctb_auto", 2)).containsExactly(1, 1, 1);
            assertConflict(catchThrowableOfType(SQLException.class, a::commit));
            a.rollback();
            assertThat(values(sa, "ctb_auto")).isEqualTo("2,2,2");
            a.commit();
        }
    }

    @Test
    void aBatchEntryFailingForItsOwnReasonUnderContentionFailsAsInPostgresql() throws Exception {
        table("ctb_error");
        try (Connection a = connect();
                Connection b = connect();
                Statement sa = a.createStatement();
                Statement sb = b.createStatement();
                PreparedStatement insert = b.prepareStatement("INSERT INTO ctb_error VALUES (?, 9)")) {
            a.setAutoCommit(false);
            sa.executeUpdate("UPDATE ctb_error SET v = 1 WHERE id = 1");

            // In a transaction: the duplicate key is the batch's error, the entries after it do not run, and the
            // transaction is aborted until the client ends it.
            b.setAutoCommit(false);
            for (int id : new int[] {4, 2, 5}) {
                insert.setInt(1, id);
                insert.addBatch();
            }
            BatchUpdateException e = catchThrowableOfType(BatchUpdateException.class, insert::executeBatch);
            assertThat(e.getNextException().getSQLState()).isEqualTo("23505");
            assertThat(catchThrowableOfType(SQLException.class, () -> sb.executeQuery("SELECT 1"))
                            .getSQLState())
                    .isEqualTo("25P02");
            b.rollback();

            // In autocommit: the batch is one transaction, nothing of it applies, the session goes on.
            b.setAutoCommit(true);
            for (int id : new int[] {4, 2, 5}) {
                insert.setInt(1, id);
                insert.addBatch();
            }
            e = catchThrowableOfType(BatchUpdateException.class, insert::executeBatch);
            assertThat(e.getNextException().getSQLState()).isEqualTo("23505");
            assertThat(values(sb, "ctb_error")).isEqualTo("0,0,0");
            a.commit();
            assertThat(values(sb, "ctb_error")).isEqualTo("1,0,0");
        }
    }

    @Test
    void anUpdateReturningMeetingAnotherTransactionsRowAnswersItsNewRowsAtOnce() throws Exception {
        table("ctb_returning");
        try (Connection a = connect();
                Connection b = connect();
                Statement sa = a.createStatement();
                PreparedStatement update = b.prepareStatement(
                        "UPDATE ctb_returning SET v = v + ? WHERE id <= 2 RETURNING id, v, now() IS NOT NULL")) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            // Past pgJDBC's prepare threshold the statement is server-prepared and its results come in binary.
            for (int round = 1; round <= 7; round++) {
                sa.executeUpdate("UPDATE ctb_returning SET v = 100 WHERE id = 1");
                update.setInt(1, round);
                try (ResultSet rs = update.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                    assertThat(rs.getInt(2)).as("round %d", round).isEqualTo(round);
                    assertThat(rs.getBoolean(3)).isTrue();
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(2)).isEqualTo(round);
                    assertThat(rs.next()).isFalse();
                }
                a.commit(); // first: b's COMMIT fails and applies nothing
                assertConflict(catchThrowableOfType(SQLException.class, b::commit));
                b.rollback();
                sa.executeUpdate("UPDATE ctb_returning SET v = 0");
                a.commit();
            }
        }
    }

    @Test
    void anAutocommitWriteMeetingAnOpenTransactionsRowCommitsAndThatTransactionFails() throws Exception {
        table("ctb_single");
        try (Connection a = connect();
                Connection b = connect();
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            sa.executeUpdate("UPDATE ctb_single SET v = 1 WHERE id = 1");
            assertThat(sb.executeUpdate("UPDATE ctb_single SET v = 2 WHERE id = 1"))
                    .isEqualTo(1);
            assertConflict(catchThrowableOfType(SQLException.class, a::commit));
            a.rollback();
            assertThat(values(sa, "ctb_single")).isEqualTo("2,0,0");
            a.commit();
        }
    }

    @Test
    void onlyTheTransactionHoldingTheConflictingRowLosesNotAnotherWriterOfTheTable() throws Exception {
        table("ctb_three");
        try (Connection a = connect();
                Connection b = connect();
                Connection c = connect();
                Statement sa = a.createStatement();
                Statement sb = b.createStatement();
                Statement sc = c.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            c.setAutoCommit(false);
            sa.executeUpdate("UPDATE ctb_three SET v = 1 WHERE id = 1");
            sb.executeUpdate("UPDATE ctb_three SET v = 2 WHERE id = 2");
            assertThat(sc.executeUpdate("UPDATE ctb_three SET v = 3 WHERE id = 1"))
                    .isEqualTo(1);
            c.commit(); // first over row 1: a loses; b wrote another row and commits
            b.commit();
            assertConflict(catchThrowableOfType(SQLException.class, a::commit));
            a.rollback();
            assertThat(values(sa, "ctb_three")).isEqualTo("3,2,0");
            a.commit();

            // An autocommit write over a's row: a loses, b (another row) does not.
            sa.executeUpdate("UPDATE ctb_three SET v = 4 WHERE id = 1");
            sb.executeUpdate("UPDATE ctb_three SET v = 5 WHERE id = 2");
            c.setAutoCommit(true);
            assertThat(sc.executeUpdate("UPDATE ctb_three SET v = 6 WHERE id = 1"))
                    .isEqualTo(1);
            b.commit();
            assertConflict(catchThrowableOfType(SQLException.class, a::commit));
            a.rollback();
            assertThat(values(sa, "ctb_three")).isEqualTo("6,5,0");
            a.commit();
        }
    }

    @Test
    void theFirstToCommitWinsOverATransactionThatIsRunningAStatement() throws Exception {
        table("ctb_busy");
        try (Connection a = connect();
                Connection b = connect();
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.executeUpdate("UPDATE ctb_busy SET v = 1 WHERE id = 1");
            assertThat(sb.executeUpdate("UPDATE ctb_busy SET v = 2 WHERE id = 1"))
                    .isEqualTo(1);
            // a is busy (not committing) when b commits: b wins; a is rolled back once its statement ends.
            CompletableFuture<SQLException> busy = CompletableFuture.supplyAsync(() -> {
                try {
                    sa.executeQuery("SELECT pg_sleep(0.08)").close();
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            Thread.sleep(20);
            b.commit();
            SQLException during = busy.get(10, TimeUnit.SECONDS);
            SQLException atCommit = during != null ? during : catchThrowableOfType(SQLException.class, a::commit);
            assertConflict(atCommit);
            a.rollback();
            assertThat(values(sa, "ctb_busy")).isEqualTo("2,0,0");
            a.commit();
        }
    }

    @Test
    void whenTheWinnerCannotWaitForALongStatementTheRunningTransactionKeepsItsWrite() throws Exception {
        table("ctb_long");
        try (Connection a = connect();
                Connection b = connect();
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.executeUpdate("UPDATE ctb_long SET v = 1 WHERE id = 1");
            assertThat(sb.executeUpdate("UPDATE ctb_long SET v = 2 WHERE id = 1"))
                    .isEqualTo(1);
            // a runs a statement longer than b's COMMIT can wait for a's row: b fails, and a, spared, commits.
            CompletableFuture<SQLException> busy = CompletableFuture.supplyAsync(() -> {
                try {
                    sa.executeQuery("SELECT pg_sleep(0.6)").close();
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            Thread.sleep(50);
            assertConflict(catchThrowableOfType(SQLException.class, b::commit));
            b.rollback();
            assertThat((Object) busy.get(10, TimeUnit.SECONDS)).isNull();
            a.commit();
            assertThat(values(sb, "ctb_long")).isEqualTo("1,0,0");
            b.commit();
        }
    }
}
