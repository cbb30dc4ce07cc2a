package dev.dsqllocal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * Asynchronous jobs through the shipped server with {@code --async-job-delay}: a build stays pending (the index
 * INVALID, {@code sys.jobs} submitted then processing) until the server's job runner completes it after the delay,
 * with no client waiting; {@code CALL sys.wait_for_job} completes a pending job at once; {@code 0s} finishes jobs
 * inside their statement.
 */
class AsyncJobDelayIT {

    private static DsqlLocalServer delayed;
    private static DsqlLocalServer immediate;

    @BeforeAll
    static void start() throws Exception {
        delayed = start("1500ms");
        immediate = start("0s");
    }

    @AfterAll
    static void stop() {
        if (delayed != null) {
            delayed.close();
        }
        if (immediate != null) {
            immediate.close();
        }
    }

    private static DsqlLocalServer start(String delay) throws Exception {
        return DsqlLocalServer.start(ServerConfig.of(Map.of(
                Option.API_PORT, "0",
                Option.SQL_PORT, "0",
                Option.BIND_ADDRESS, "127.0.0.1",
                Option.ASYNC_JOB_DELAY, delay)));
    }

    private static Connection connect(DsqlLocalServer server) throws SQLException {
        String token = DsqlUtilities.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + server.sqlPort() + "/postgres?sslmode=verify-full&sslrootcert="
                        + server.dataDir().resolve("tls/ca.pem"),
                "admin",
                token);
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void theRunnerCompletesABuildAfterTheDelayWithoutAnyoneWaiting() throws Exception {
        try (Connection c = connect(delayed);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE runner_t (id int PRIMARY KEY, v int)");
            s.execute("INSERT INTO runner_t SELECT g, g FROM generate_series(1, 50) g");
            long submitted = System.nanoTime();
            String job = one(s, "CREATE UNIQUE INDEX ASYNC runner_v ON runner_t (v)");
            assertThat(one(s, "SELECT status FROM sys.jobs WHERE job_id = '" + job + "'"))
                    .isEqualTo("submitted");
            assertThatThrownBy(
                            () -> s.execute("ALTER TABLE runner_t ADD CONSTRAINT runner_c UNIQUE USING INDEX runner_v"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("index \"runner_v\" is not valid")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55000"));
            s.execute("SET enable_seqscan = off");
            assertThat(one(s, "EXPLAIN SELECT * FROM runner_t WHERE v = 7")).doesNotContain("runner_v");

            Thread.sleep(900);
            assertThat(one(s, "SELECT status FROM sys.jobs WHERE job_id = '" + job + "'"))
                    .isEqualTo("processing");
            String status = "processing";
            while (!status.equals("completed") && System.nanoTime() - submitted < 10_000_000_000L) {
                Thread.sleep(50);
                status = one(s, "SELECT status FROM sys.jobs WHERE job_id = '" + job + "'");
            }
            long tookMillis = (System.nanoTime() - submitted) / 1_000_000;
            assertThat(status).isEqualTo("completed");
            assertThat(tookMillis)
                    .as("completed after the delay, by the runner")
                    .isBetween(1_400L, 4_000L);
            assertThat(one(s, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'runner_v'::regclass"))
                    .isEqualTo("true");
            assertThat(one(s, "EXPLAIN SELECT * FROM runner_t WHERE v = 7")).contains("runner_v");
            s.execute("ALTER TABLE runner_t ADD CONSTRAINT runner_c UNIQUE USING INDEX runner_v");
        }
    }

    @Test
    void waitForJobCompletesAPendingBuildAtOnce() throws Exception {
        try (Connection c = connect(delayed);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE wait_t (id int PRIMARY KEY, v int)");
            String job = one(s, "CREATE INDEX ASYNC wait_v ON wait_t (v)");
            long start = System.nanoTime();
            assertThat(one(s, "CALL sys.wait_for_job('" + job + "')")).isEqualTo("t");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000L);
            assertThat(one(s, "SELECT status FROM sys.jobs WHERE job_id = '" + job + "'"))
                    .isEqualTo("completed");
            assertThat(one(s, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'wait_v'::regclass"))
                    .isEqualTo("true");
        }
    }

    @Test
    void withoutADelayJobsFinishInsideTheirStatement() throws Exception {
        try (Connection c = connect(immediate);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE now_t (id int PRIMARY KEY, v int)");
            s.execute("INSERT INTO now_t VALUES (1, 1), (2, 1)");
            String ok = one(s, "CREATE INDEX ASYNC now_v ON now_t (v)");
            assertThat(one(s, "SELECT status FROM sys.jobs WHERE job_id = '" + ok + "'"))
                    .isEqualTo("completed");
            String dup = one(s, "CREATE UNIQUE INDEX ASYNC now_u ON now_t (v)");
            assertThat(one(s, "SELECT status || ': ' || details FROM sys.jobs WHERE job_id = '" + dup + "'"))
                    .isEqualTo("failed: Found duplicate key while validating index for UCVs");
        }
    }
}
