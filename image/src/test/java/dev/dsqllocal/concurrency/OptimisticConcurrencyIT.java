package dev.dsqllocal.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import dev.dsqllocal.testsupport.SignedHttp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.DsqlUtilities;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;

/**
 * DSQL's optimistic concurrency and the fault-injection API, through the emulator as shipped (real gateway, real
 * IAM tokens, pgJDBC, real PostgreSQL). A fact that is a plain sequence of statements and answers is a conformance
 * case ({@code conformance/10-concurrency.json}) and is tested there only; this class keeps what needs a program:
 * timings, warnings, retries, pgJDBC's own requests and batches, and the fault-injection API.
 */
class OptimisticConcurrencyIT {
    private static final String OC000 = "change conflicts with another transaction (OC000)";
    private static final String OC001 = "schema has been updated by another transaction (OC001)";

    private static DsqlLocalServer server;
    private static String cluster;

    @BeforeAll
    static void start() throws Exception {
        server = DsqlLocalServer.start(
                ServerConfig.of(Map.of(Option.API_PORT, "0", Option.SQL_PORT, "0", Option.BIND_ADDRESS, "127.0.0.1")));
        cluster = server.defaultClusterId().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void clearFaults() throws Exception {
        if (server != null) {
            faults("DELETE", null);
        }
    }

    static Connection connect(String params) throws SQLException {
        String token = DsqlUtilities.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + server.sqlPort() + "/postgres?sslmode=verify-full&sslrootcert="
                        + server.dataDir().resolve("tls/ca.pem") + params,
                "admin",
                token);
    }

    /** The fault API, SigV4-signed with the default credentials (strict mode refuses unsigned calls). */
    static HttpResponse<String> faults(String method, String json) throws Exception {
        return new SignedHttp(server.apiPort()).send(method, "/dsql-local/clusters/" + cluster + "/faults", json);
    }

    private static SQLException failure(Statement st, String sql) {
        return catchThrowableOfType(SQLException.class, () -> st.execute(sql));
    }

    private static void assertConflict(SQLException e, String text) {
        assertThat((Object) e).isNotNull();
        assertThat(e.getSQLState()).isEqualTo("40001");
        assertThat(e.getMessage()).contains(text);
    }

    private static long value(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static void table(String name) throws SQLException {
        try (Connection c = connect("");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + name + " (id int PRIMARY KEY, v int)");
            st.execute("INSERT INTO " + name + " VALUES (1, 0), (2, 0)");
        }
    }

    @Test
    void writersOfTheSameRowNeverWaitAndTheLoserGetsOc000() throws Exception {
        table("occ_same");
        try (Connection a = connect("");
                Connection b = connect("");
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            // b's snapshot predates a's commit: a plain write-write conflict.
            assertThat(value(sb, "SELECT v FROM occ_same WHERE id = 1")).isZero();
            sa.executeUpdate("UPDATE occ_same SET v = 1 WHERE id = 1");
            a.commit();
            // The write succeeds on b's snapshot; its COMMIT fails, nothing of it applied.
            assertThat(sb.executeUpdate("UPDATE occ_same SET v = 2 WHERE id = 1"))
                    .isEqualTo(1);
            assertConflict(catchThrowableOfType(SQLException.class, b::commit), OC000);

            // Both open: the second writer does not block behind the first's row lock; the first to commit wins.
            sa.executeUpdate("UPDATE occ_same SET v = 3 WHERE id = 2");
            long started = System.nanoTime();
            assertThat(sb.executeUpdate("UPDATE occ_same SET v = 4 WHERE id = 2"))
                    .isEqualTo(1);
            assertThat((System.nanoTime() - started) / 1_000_000)
                    .as("ms waited")
                    .isLessThan(1_000);
            a.commit();
            assertConflict(catchThrowableOfType(SQLException.class, b::commit), OC000);
            assertThat(value(sb, "SELECT v FROM occ_same WHERE id = 2")).isEqualTo(3);
            assertThat(value(sb, "SELECT v FROM occ_same WHERE id = 1")).isEqualTo(1);
            b.commit();

            // Prepared statements with parameters (extended protocol, server-side values): b commits first.
            try (PreparedStatement pa = a.prepareStatement("UPDATE occ_same SET v = ? WHERE id = ?");
                    PreparedStatement pb = b.prepareStatement("UPDATE occ_same SET v = ? WHERE id = ?")) {
                pa.setInt(1, 5);
                pa.setInt(2, 1);
                assertThat(pa.executeUpdate()).isEqualTo(1);
                pb.setInt(1, 6);
                pb.setInt(2, 1);
                pb.addBatch();
                assertThat(pb.executeBatch()).containsExactly(1);
                b.commit();
                assertConflict(catchThrowableOfType(SQLException.class, a::commit), OC000);
                a.rollback();
            }
            assertThat(value(sa, "SELECT v FROM occ_same WHERE id = 1")).isEqualTo(6);
            a.commit();
        }
    }

    @Test
    void selectForUpdateOfARowChangedSinceTheSnapshotIsOc000() throws Exception {
        table("occ_lock");
        try (Connection a = connect("");
                Connection b = connect("");
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            assertThat(value(sa, "SELECT count(*) FROM occ_lock")).isEqualTo(2);
            sb.executeUpdate("UPDATE occ_lock SET v = 9 WHERE id = 1");
            // Answered on a's snapshot without waiting; a's COMMIT fails (the row changed after its snapshot).
            assertThat(value(sa, "SELECT v FROM occ_lock WHERE id = 1 FOR UPDATE"))
                    .isZero();
            assertConflict(catchThrowableOfType(SQLException.class, a::commit), OC000);
        }
    }

    @Test
    void aDeadlockPatternEndsInOc000NotADeadlockError() throws Exception {
        table("occ_deadlock");
        try (Connection a = connect("");
                Connection b = connect("");
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.executeUpdate("UPDATE occ_deadlock SET v = 1 WHERE id = 1");
            sb.executeUpdate("UPDATE occ_deadlock SET v = 2 WHERE id = 2");
            // Neither waits for the other: both writes answer at once, the first COMMIT wins.
            assertThat(sa.executeUpdate("UPDATE occ_deadlock SET v = 1 WHERE id = 2"))
                    .isEqualTo(1);
            assertThat(sb.executeUpdate("UPDATE occ_deadlock SET v = 2 WHERE id = 1"))
                    .isEqualTo(1);
            b.commit();
            assertConflict(catchThrowableOfType(SQLException.class, a::commit), OC000);
            assertThat(value(sa, "SELECT sum(v) FROM occ_deadlock")).isEqualTo(4);
        }
    }

    @Test
    void ddlElsewhereFailsAnOpenTransactionWithOc001AndARetrySucceeds() throws Exception {
        table("occ_schema");
        try (Connection a = connect("");
                Connection b = connect("");
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            assertThat(value(sa, "SELECT count(*) FROM occ_schema")).isEqualTo(2);
            sb.execute("CREATE TABLE occ_schema_other (id int PRIMARY KEY)");
            assertConflict(failure(sa, "UPDATE occ_schema SET v = 5 WHERE id = 1"), OC001);
            a.rollback();
            // The retry starts a new transaction at the new catalog version.
            assertThat(sa.executeUpdate("UPDATE occ_schema SET v = 5 WHERE id = 1"))
                    .isEqualTo(1);
            a.commit();
            // GRANT is a catalog change too, and the failure can land at COMMIT.
            sa.executeUpdate("UPDATE occ_schema SET v = 6 WHERE id = 1");
            sb.execute("GRANT SELECT ON occ_schema TO PUBLIC");
            SQLException atCommit = catchThrowableOfType(SQLException.class, a::commit);
            assertConflict(atCommit, OC001);
            a.setAutoCommit(true);
            assertThat(value(sa, "SELECT v FROM occ_schema WHERE id = 1"))
                    .as("rolled back")
                    .isEqualTo(5);
        }
    }

    /** What pgJDBC sends on its own (isValid, Describe of a prepared statement) never trips over a stale catalog. */
    @Test
    void afterDdlElsewhereValidationAndDescribePassAndTheNextRealStatementFailsOnce() throws Exception {
        table("occ_after_ddl");
        try (Connection a = connect("");
                Connection b = connect("");
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            assertThat(value(sa, "SELECT count(*) FROM occ_after_ddl")).isEqualTo(2);
            sb.execute("CREATE TABLE occ_after_ddl_other (id int PRIMARY KEY)");

            assertThat(a.isValid(5)).isTrue();
            assertThat(value(sa, "SELECT 1")).isEqualTo(1);
            try (PreparedStatement described = a.prepareStatement("SELECT v FROM occ_after_ddl WHERE id = ?")) {
                assertThat(described.getMetaData().getColumnName(1)).isEqualTo("v"); // Parse + Describe only
            }
            assertConflict(failure(sa, "UPDATE occ_after_ddl SET v = 1"), OC001);
            assertThat(value(sa, "SELECT sum(v) FROM occ_after_ddl"))
                    .as("nothing applied")
                    .isZero();
            assertThat(sa.executeUpdate("UPDATE occ_after_ddl SET v = 1")).isEqualTo(2);
            assertThat(value(sb, "SELECT count(*) FROM occ_after_ddl_other"))
                    .as("the DDL session is current")
                    .isZero();
        }
    }

    @Test
    void aBatchAfterDdlElsewhereFailsWholeAndItsRetryApplies() throws Exception {
        table("occ_batch");
        try (Connection a = connect("");
                Connection b = connect("");
                PreparedStatement insert = a.prepareStatement("INSERT INTO occ_batch VALUES (?, 0)");
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            assertThat(value(sa, "SELECT count(*) FROM occ_batch")).isEqualTo(2);
            sb.execute("GRANT SELECT ON occ_batch TO PUBLIC");
            for (int id = 10; id < 13; id++) {
                insert.setInt(1, id);
                insert.addBatch();
            }
            BatchUpdateException e = catchThrowableOfType(BatchUpdateException.class, insert::executeBatch);
            assertThat((Object) e.getNextException()).isNotNull();
            assertConflict(e.getNextException(), OC001);
            assertThat(value(sa, "SELECT count(*) FROM occ_batch"))
                    .as("nothing applied")
                    .isEqualTo(2);
            for (int id = 10; id < 13; id++) {
                insert.setInt(1, id);
                insert.addBatch();
            }
            assertThat(insert.executeBatch()).containsExactly(1, 1, 1);
            assertThat(value(sa, "SELECT count(*) FROM occ_batch")).isEqualTo(5);
        }
    }

    @Test
    void aServerPreparedStatementAfterDdlElsewhereFailsOnceInATransactionAndTheRetryCommits() throws Exception {
        table("occ_prepared");
        try (Connection a = connect("&prepareThreshold=1");
                Connection b = connect("");
                PreparedStatement read = a.prepareStatement("SELECT v FROM occ_prepared WHERE id = ?");
                Statement sb = b.createStatement()) {
            read.setInt(1, 1);
            for (int i = 0; i < 3; i++) { // named server-side statement from here on
                try (ResultSet rs = read.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
            a.setAutoCommit(false);
            sb.execute("CREATE TABLE occ_prepared_other (id int PRIMARY KEY)");
            SQLException e = catchThrowableOfType(SQLException.class, read::executeQuery);
            assertConflict(e, OC001);
            a.rollback();
            try (ResultSet rs = read.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isZero();
            }
            a.commit();
        }
    }

    /**
     * DSQL commits DDL at once; a transaction open (idle) in another session that had touched storage fails with
     * OC001 afterwards, and nothing it wrote is kept. PostgreSQL's DDL would wait for that transaction's table lock.
     */
    @Test
    void ddlDoesNotWaitForAnIdleOpenTransactionWhichFailsWithOc001() throws Exception {
        ddlDoesNotWait("occ_wins", "");
    }

    @Test
    void ddlDoesNotWaitForAnIdleOpenTransactionOverTheSimpleProtocol() throws Exception {
        ddlDoesNotWait("occ_wins_simple", "&preferQueryMode=simple");
    }

    private static void ddlDoesNotWait(String t, String mode) throws Exception {
        table(t);
        try (Connection a = connect(mode);
                Connection b = connect(mode);
                Connection idle = connect(mode);
                Statement sa = a.createStatement();
                Statement sb = b.createStatement();
                Statement si = idle.createStatement()) {
            assertThat(value(si, "SELECT count(*) FROM " + t)).isEqualTo(2); // autocommit: holds no lock
            // The next statement after the DDL is a read: OC001, the earlier write is gone.
            a.setAutoCommit(false);
            assertThat(value(sa, "SELECT count(*) FROM " + t)).isEqualTo(2);
            assertThat(sa.executeUpdate("UPDATE " + t + " SET v = 1 WHERE id = 1"))
                    .isEqualTo(1);
            sb.execute("ALTER TABLE " + t + " ADD COLUMN c text");
            assertThat(value(sb, "SELECT count(*) FROM " + t + " WHERE v = 1"))
                    .as("a's write, uncommitted")
                    .isZero();
            assertConflict(failure(sa, "SELECT count(*) FROM " + t), OC001);
            a.rollback();
            assertThat(sa.executeUpdate("UPDATE " + t + " SET c = 'x' WHERE id = 1"))
                    .as("the retry")
                    .isEqualTo(1);
            a.commit();

            // The next statement is COMMIT: OC001, nothing applied.
            sa.executeUpdate("INSERT INTO " + t + " (id, v) VALUES (3, 3)");
            sb.execute("ALTER TABLE " + t + " ADD COLUMN d text");
            assertConflict(catchThrowableOfType(SQLException.class, a::commit), OC001);
            assertThat(value(sb, "SELECT count(*) FROM " + t + " WHERE id = 3")).isZero();
            sa.executeUpdate("INSERT INTO " + t + " (id, v) VALUES (3, 3)");
            a.commit();

            // The next statement is ROLLBACK: answered cleanly, without PostgreSQL's "no transaction" warning.
            a.setAutoCommit(true);
            sa.execute("BEGIN");
            assertThat(value(sa, "SELECT count(*) FROM " + t)).isEqualTo(3);
            sb.execute("DROP INDEX IF EXISTS nothing_here"); // does nothing, but DDL all the same
            sb.execute("ALTER TABLE " + t + " ADD COLUMN e text");
            sa.clearWarnings();
            sa.execute("ROLLBACK");
            assertThat((Object) sa.getWarnings()).isNull();
            assertThat((Object) a.getWarnings()).isNull();
            // Its catalog is still stale (as for any session that has not failed since the DDL): OC001 once.
            assertConflict(failure(sa, "SELECT count(*) FROM " + t + " WHERE e IS NULL"), OC001);
            assertThat(value(sa, "SELECT count(*) FROM " + t + " WHERE e IS NULL"))
                    .isEqualTo(3);

            // The autocommit session was never touched: SELECT 1 works, its next storage read gets the usual OC001.
            assertThat(value(si, "SELECT 1")).isEqualTo(1);
            assertConflict(failure(si, "SELECT count(*) FROM " + t), OC001);
            assertThat(value(si, "SELECT count(*) FROM " + t)).isEqualTo(3);
        }
    }

    /**
     * A failed transaction (ReadyForQuery 'E') still holds its locks: it is ended too, and pgJDBC's rollback() is
     * answered without warnings. A server-prepared statement (Bind without Parse) of a doomed session fails with
     * OC001 as well.
     */
    @Test
    void failedTransactionsAndServerPreparedStatementsOfDoomedSessions() throws Exception {
        table("occ_failed");
        try (Connection a = connect("&prepareThreshold=1");
                Connection b = connect("");
                PreparedStatement read = a.prepareStatement("SELECT v FROM occ_failed WHERE id = ?");
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            read.setInt(1, 1);
            a.setAutoCommit(false);
            for (int i = 0; i < 3; i++) { // named server-side statement from here on
                try (ResultSet rs = read.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
            assertThat(failure(sa, "SELECT 1 / 0 FROM occ_failed").getSQLState())
                    .isEqualTo("22012");
            sb.execute("ALTER TABLE occ_failed ADD COLUMN c text");
            a.clearWarnings();
            a.rollback();
            assertThat((Object) a.getWarnings()).isNull();
            assertConflict(catchThrowableOfType(SQLException.class, read::executeQuery), OC001); // stale catalog

            try (ResultSet rs = read.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
            sb.execute("ALTER TABLE occ_failed ADD COLUMN d text");
            assertConflict(catchThrowableOfType(SQLException.class, read::executeQuery), OC001); // doomed
            a.rollback();
            try (ResultSet rs = read.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isZero();
            }
            a.commit();
        }
    }

    /** A session running a statement is left alone: the DDL waits for it and loses with OC000 (documented gap). */
    @Test
    void aBusyTransactionIsNotEndedAndTheDdlLosesInstead() throws Exception {
        table("occ_busy");
        try (Connection a = connect("");
                Connection b = connect("");
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            a.setAutoCommit(false);
            assertThat(value(sa, "SELECT count(*) FROM occ_busy")).isEqualTo(2);
            java.util.concurrent.CompletableFuture<Long> busy =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return value(sa, "SELECT count(*) FROM occ_busy, pg_sleep(2)");
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            while (value(
                            sb,
                            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                                    + " AND query LIKE '%occ_busy, pg_sleep%' AND pid <> pg_backend_pid()")
                    == 0) {
                Thread.sleep(20);
            }
            assertConflict(failure(sb, "ALTER TABLE occ_busy ADD COLUMN c text"), OC000);
            assertThat(busy.get()).isEqualTo(2);
            assertThat(value(sa, "SELECT count(*) FROM occ_busy"))
                    .as("still the same transaction")
                    .isEqualTo(2);
            a.commit();
        }
    }

    @Test
    void injectedCommitConflictsFailTheNextCommitsThenClear() throws Exception {
        table("occ_inject");
        HttpResponse<String> added = faults("POST", "{\"type\":\"commit-conflict\",\"code\":\"OC000\",\"count\":2}");
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(faults("GET", null).body()).contains("\"remaining\":2");
        try (Connection c = connect("");
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 0; i < 2; i++) {
                st.executeUpdate("INSERT INTO occ_inject VALUES (" + (10 + i) + ", 1)");
                assertConflict(catchThrowableOfType(SQLException.class, c::commit), OC000);
            }
            assertThat(faults("GET", null).body()).doesNotContain("commit-conflict");
            st.executeUpdate("INSERT INTO occ_inject VALUES (20, 1)");
            c.commit();
            assertThat(value(st, "SELECT count(*) FROM occ_inject WHERE id >= 10"))
                    .as("nothing half-applied")
                    .isEqualTo(1);
            c.commit();
        }
    }

    @Test
    void injectedConflictsRespectTheTableFilterAndHitAutocommitStatements() throws Exception {
        table("occ_orders");
        table("occ_items");
        assertThat(faults("POST", "{\"type\":\"commit-conflict\",\"code\":\"OC001\",\"table\":\"public.occ_orders\"}")
                        .statusCode())
                .isEqualTo(200);
        try (Connection c = connect("");
                Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE occ_items SET v = 1")).isEqualTo(2);
            assertConflict(failure(st, "UPDATE occ_orders SET v = 1"), OC001);
            assertThat(value(st, "SELECT sum(v) FROM occ_orders")).isZero();
            assertThat(st.executeUpdate("UPDATE occ_orders SET v = 1")).isEqualTo(2);
        }
    }

    @Test
    void connectionFailureWindowRefusesNewLoginsUntilCleared() throws Exception {
        try (Connection open = connect("");
                Statement st = open.createStatement()) {
            assertThat(faults("POST", "{\"type\":\"connection-failure\",\"durationSeconds\":60}")
                            .statusCode())
                    .isEqualTo(200);
            SQLException refused =
                    catchThrowableOfType(SQLException.class, () -> connect("").close());
            assertThat(refused.getSQLState()).isEqualTo("08006");
            assertThat(refused.getMessage()).contains("unable to accept connection");
            assertThat(value(st, "SELECT 1")).as("open sessions keep working").isEqualTo(1);
            assertThat(faults("DELETE", null).body()).contains("\"faults\":[]");
            connect("").close();
        }
    }

    @Test
    void statusOverrideIsReportedByGetClusterUntilCleared() throws Exception {
        try (DsqlClient dsql = DsqlClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.apiPort()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            assertThat(faults("POST", "{\"type\":\"status\",\"status\":\"IDLE\"}")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(dsql.getCluster(b -> b.identifier(cluster)).status()).isEqualTo(ClusterStatus.IDLE);
            assertThat(dsql.listClusters(b -> {}).clusters()).isNotEmpty();
            connect("").close(); // the real cluster is untouched and still serves connections
            faults("DELETE", null);
            assertThat(dsql.getCluster(b -> b.identifier(cluster)).status()).isEqualTo(ClusterStatus.ACTIVE);
        }
    }

    @Test
    void theSimpleQueryProtocolGetsTheSameAnswers() throws Exception {
        table("occ_simple");
        try (Connection a = connect("&preferQueryMode=simple");
                Connection b = connect("&preferQueryMode=simple");
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            faults("POST", "{\"type\":\"commit-conflict\",\"count\":1}");
            assertConflict(failure(sa, "BEGIN; UPDATE occ_simple SET v = 7; COMMIT"), OC000);
            assertThat(value(sa, "SELECT sum(v) FROM occ_simple"))
                    .as("nothing applied")
                    .isZero();

            a.setAutoCommit(false);
            assertThat(value(sa, "SELECT count(*) FROM occ_simple")).isEqualTo(2);
            sb.execute("CREATE TABLE occ_simple_other (id int PRIMARY KEY)");
            assertConflict(failure(sa, "SELECT count(*) FROM occ_simple"), OC001);
            a.rollback();
            assertThat(value(sa, "SELECT count(*) FROM occ_simple")).isEqualTo(2);
            a.commit();

            sa.executeUpdate("UPDATE occ_simple SET v = 1 WHERE id = 1");
            // b's autocommit write commits first (a's idle transaction holding the row loses).
            assertThat(sb.executeUpdate("UPDATE occ_simple SET v = 2 WHERE id = 1"))
                    .isEqualTo(1);
            assertConflict(catchThrowableOfType(SQLException.class, a::commit), OC000);
            assertThat(value(sb, "SELECT sum(v) FROM occ_simple")).isEqualTo(2);
        }
    }

    @Test
    void badInjectionsAreRefusedWith400() throws Exception {
        for (String body : new String[] {
            "not json",
            "[]",
            "{}",
            "{\"type\":\"meteor\"}",
            "{\"type\":\"commit-conflict\",\"code\":\"OC999\"}",
            "{\"type\":\"commit-conflict\",\"count\":0}",
            "{\"type\":\"commit-conflict\",\"count\":\"2\"}",
            "{\"type\":\"connection-failure\"}",
            "{\"type\":\"status\",\"status\":\"SLEEPY\"}",
            "{\"type\":\"status\",\"status\":\"IDLE\",\"x\":1}"
        }) {
            HttpResponse<String> r = faults("POST", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).as(body).contains("\"message\"");
        }
        assertThat(new SignedHttp(server.apiPort())
                        .send("GET", "/dsql-local/clusters/nosuchcluster/faults", null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(faults("GET", null).body()).contains("\"faults\":[]");
    }
}
