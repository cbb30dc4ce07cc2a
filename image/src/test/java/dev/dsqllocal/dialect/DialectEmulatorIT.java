package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import dev.dsqllocal.testsupport.ShippedEmulator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;
import software.amazon.dsql.jdbc.AuroraDsqlCredentialsManager;

/**
 * The emulator as shipped ({@code DsqlLocalServer.start(config)}, dialect {@code latest} by default) through
 * pgJDBC with default settings: what a schema written for plain PostgreSQL meets, {@code CREATE INDEX ASYNC}
 * with {@code sys.jobs} and {@code sys.wait_for_job}, and the clients that must keep working.
 */
class DialectEmulatorIT {
    @RegisterExtension
    static final ShippedEmulator EMULATOR = new ShippedEmulator();

    @AfterEach
    void resetCredentials() {
        AuroraDsqlCredentialsManager.resetProvider();
    }

    static Connection connect(DsqlLocalServer s, String params) throws SQLException {
        return ShippedEmulator.connectAsAdmin(s, params);
    }

    private static void assertRefused(Statement st, String sql, String sqlState, String message) throws SQLException {
        SQLException e = catchThrowableOfType(SQLException.class, () -> st.execute(sql));
        assertThat((Object) e).as(sql).isNotNull();
        assertThat(e.getSQLState()).as(sql).isEqualTo(sqlState);
        assertThat(e.getMessage()).as(sql).contains(message);
        try (ResultSet rs = st.executeQuery("SELECT 1")) {
            assertThat(rs.next()).as("session usable after " + sql).isTrue();
        }
    }

    @Test
    void aPlainPostgresSchemaFailsWhereDsqlWould() throws Exception {
        try (Connection c = connect(EMULATOR.server(), "");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE pg_schema_users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text)");
            assertRefused(st, "TRUNCATE pg_schema_users", "0A000", "unsupported statement: Truncate");
            assertRefused(
                    st,
                    "CREATE TABLE pg_schema_orders (id serial PRIMARY KEY)",
                    "42704",
                    "type \"serial\" does not exist");
            assertRefused(
                    st,
                    "CREATE TEMP TABLE pg_schema_scratch (id int)",
                    "0A000",
                    "TEMPORARY or TEMP table not supported for CREATE TABLE");
            assertRefused(
                    st,
                    "CREATE INDEX pg_schema_users_email ON pg_schema_users (email)",
                    "0A000",
                    "unsupported mode. please use CREATE INDEX ASYNC.");
            assertRefused(st, "SELECT pg_advisory_lock(1)", "0A000", "function pg_advisory_lock not supported");
            assertRefused(
                    st,
                    "SET statement_timeout = 1000",
                    "0A000",
                    "setting configuration parameter \"statement_timeout\" not supported");

            c.setAutoCommit(false);
            st.execute("CREATE TABLE pg_schema_a (id int PRIMARY KEY)");
            SQLException second = catchThrowableOfType(
                    SQLException.class, () -> st.execute("CREATE TABLE pg_schema_b (id int PRIMARY KEY)"));
            assertThat(second.getSQLState()).isEqualTo("0A000");
            assertThat(second.getMessage()).contains("multiple ddl statements not supported in a transaction");
            c.rollback();
            SQLException savepoint = catchThrowableOfType(SQLException.class, () -> c.setSavepoint("sp"));
            assertThat(savepoint.getSQLState()).isEqualTo("0A000");
            assertThat(savepoint.getMessage()).contains("unsupported transaction statement");
            c.rollback();
            c.setAutoCommit(true);
            try (ResultSet rs =
                    st.executeQuery("SELECT to_regclass('pg_schema_a') IS NULL, count(*) FROM pg_schema_users")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1))
                        .as("the failed transaction left nothing behind")
                        .isTrue();
                assertThat(rs.getLong(2)).isZero();
            }
        }
    }

    @Test
    void createIndexAsyncReturnsAJobThatCompletesAndTheIndexIsUsed() throws Exception {
        try (Connection c = connect(EMULATOR.server(), "");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE async_people (id int PRIMARY KEY, email text)");
            st.execute("INSERT INTO async_people SELECT g, 'p' || g || '@example.com' FROM generate_series(1, 2000) g");
            String jobId;
            try (ResultSet rs = st.executeQuery("CREATE INDEX ASYNC async_people_email ON async_people (email)")) {
                ResultSetMetaData md = rs.getMetaData();
                assertThat(md.getColumnCount()).isEqualTo(1);
                assertThat(md.getColumnLabel(1)).isEqualTo("job_id");
                assertThat(rs.next()).isTrue();
                jobId = rs.getString(1);
                assertThat(rs.next()).isFalse();
            }
            assertThat(jobId).matches("[a-z2-7]{26}");

            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sys.jobs WHERE job_id = ?")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        columns.add(md.getColumnLabel(i) + " " + md.getColumnTypeName(i));
                    }
                    assertThat(columns)
                            .containsExactly(
                                    "job_id text",
                                    "status text",
                                    "details text",
                                    "job_type text",
                                    "class_id oid",
                                    "object_id oid",
                                    "object_name text",
                                    "start_time timestamptz",
                                    "update_time timestamptz");
                    assertThat(rs.next()).isTrue();
                    // Pending for the server's --async-job-delay (2 s by default), as a real build is.
                    assertThat(rs.getString("status")).isEqualTo("submitted");
                    assertThat(rs.getString("job_type")).isEqualTo("INDEX_BUILD");
                    assertThat(rs.getLong("class_id")).isEqualTo(1259);
                    assertThat(rs.getString("object_name")).isEqualTo("public.async_people_email");
                    assertThat(rs.getTimestamp("start_time")).isNotNull();
                    assertThat(rs.getTimestamp("update_time")).isNull();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("CALL sys.wait_for_job(?)")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("succeeded");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBoolean("succeeded")).isTrue();
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT status, update_time FROM sys.jobs WHERE job_id = ?")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString("status")).isEqualTo("completed");
                    assertThat(rs.getTimestamp("update_time")).isNotNull();
                }
            }
            try (ResultSet rs =
                    st.executeQuery("SELECT indexdef FROM pg_indexes WHERE indexname = 'async_people_email'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains("ON public.async_people").contains("(email)");
            }
            st.execute("ANALYZE async_people");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = st.executeQuery("EXPLAIN SELECT id FROM async_people WHERE email = 'p7@example.com'")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("async_people_email");
        }
    }

    @Test
    void asyncIndexesInSimpleQueryModeAndTheSysSchemaIsReadOnly() throws Exception {
        try (Connection c = connect(EMULATOR.server(), "&preferQueryMode=simple");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE async_accounts (id int PRIMARY KEY, name text)");
            assertThat(st.execute(
                            "CREATE UNIQUE INDEX ASYNC IF NOT EXISTS async_accounts_name ON async_accounts (name)"))
                    .isTrue();
            String jobId;
            try (ResultSet rs = st.getResultSet()) {
                assertThat(rs.next()).isTrue();
                jobId = rs.getString("job_id");
            }
            assertThat(jobId).matches("[a-z2-7]{26}");
            try (ResultSet rs = st.executeQuery("CALL sys.wait_for_job('" + jobId + "')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean("succeeded")).isTrue();
            }
            st.execute("INSERT INTO async_accounts VALUES (1, 'a')");
            assertRefused(st, "INSERT INTO async_accounts VALUES (2, 'a')", "23505", "async_accounts_name");

            // A failing build reports PostgreSQL's error without the gateway's plumbing in it.
            SQLException missing = catchThrowableOfType(
                    SQLException.class, () -> st.execute("CREATE INDEX ASYNC nowhere_idx ON no_such_table (x)"));
            assertThat(missing.getSQLState()).isEqualTo("42P01");
            assertThat(missing.getMessage()).doesNotContain("dsql_local").doesNotContain("PL/pgSQL");

            assertRefused(st, "CALL sys.wait_for_job('not-a-job')", "22P02", "Unable to convert text to UUID");
            assertRefused(st, "CALL sys.wait_for_job('aaaaaaaaaaaaaaaaaaaaaaaaaa')", "42704", "does not exist");
            assertRefused(
                    st, "DELETE FROM sys.dsql_local_jobs", "42P01", "relation \"sys.dsql_local_jobs\" does not exist");
            assertRefused(st, "UPDATE sys.jobs SET details = 'forged'", "42501", "permission denied");
            try (ResultSet rs = st.executeQuery("SELECT sys.dsql_major_version()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void syncCreateIndexRunsOnlyOnAnEmptyTableWhenTheSettingIsOff() throws Exception {
        try (Connection c = connect(EMULATOR.server(), "");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE sync_empty (id int PRIMARY KEY, v int)");
            st.execute("CREATE TABLE sync_full (id int PRIMARY KEY, v int)");
            st.execute("INSERT INTO sync_full VALUES (1, 1)");
            st.execute("SET disable_sync_create_index = off");
            assertThat(st.executeUpdate("CREATE INDEX sync_empty_v ON sync_empty (v)"))
                    .isZero();
            assertRefused(
                    st,
                    "CREATE INDEX sync_full_v ON sync_full (v)",
                    "0A000",
                    "unsupported mode. please use CREATE INDEX ASYNC.");
            try (ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM pg_indexes WHERE indexname IN" + " ('sync_empty_v', 'sync_full_v')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void startupParametersDsqlRefusesEndTheLogin() {
        SQLException e = catchThrowableOfType(
                SQLException.class,
                () -> connect(EMULATOR.server(), "&options=-c%20default_transaction_read_only=on")
                        .close());
        assertThat(e.getSQLState()).isEqualTo("0A000");
        assertThat(e.getMessage())
                .contains("setting configuration parameter \"default_transaction_read_only\" not supported");
    }

    @Test
    void theAwsJdbcConnectorWorksWithTheDialectOn() throws Exception {
        AuroraDsqlCredentialsManager.setProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        String url = "jdbc:aws-dsql:postgresql://localhost:" + EMULATOR.server().sqlPort() + "/postgres?user=admin"
                + "&region=us-east-1&sslmode=verify-full&sslrootcert="
                + EMULATOR.server().dataDir().resolve("tls/ca.pem");
        try (Connection c = DriverManager.getConnection(url);
                ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void psqlWithItsDefaultStartupParameters() throws Exception {
        assertThat(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/psql")))
                .as("psql is needed by this test: install postgresql-client")
                .isTrue();
        String token = DsqlUtilities.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
        Process p = new ProcessBuilder(List.of(
                        "psql",
                        "host=localhost port=" + EMULATOR.server().sqlPort()
                                + " user=admin dbname=postgres sslmode=require password=" + token,
                        "-X",
                        "-A",
                        "-t",
                        "-c",
                        "CREATE TABLE psql_t (id int PRIMARY KEY, v text)",
                        "-c",
                        "CREATE INDEX ASYNC psql_t_v ON psql_t (v)",
                        "-c",
                        "SELECT status FROM sys.jobs WHERE object_name = 'public.psql_t_v'",
                        "-c",
                        "TRUNCATE psql_t"))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(out)
                .containsPattern("(?m)^[a-z2-7]{26}$")
                .contains("submitted")
                .contains("ERROR:  unsupported statement: Truncate");
    }

    @Test
    void aTestcontainersStyleInitScriptRunsStatementByStatement() throws Exception {
        // What JdbcDatabaseContainer does: SELECT 1 as the test query, then ScriptUtils runs each statement.
        String[] script = {
            "CREATE TABLE init_orders (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), customer text NOT NULL)",
            "CREATE INDEX ASYNC init_orders_customer ON init_orders (customer)",
            "INSERT INTO init_orders (customer) VALUES ('ada'), ('grace')"
        };
        try (Connection c = connect(EMULATOR.server(), "");
                Statement st = c.createStatement()) {
            assertThat(st.execute("SELECT 1")).isTrue();
            for (String sql : script) {
                st.execute(sql);
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM init_orders WHERE customer = 'ada'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void dialectOffIsPlainPostgres() throws Exception {
        try (DsqlLocalServer plain = DsqlLocalServer.start(ServerConfig.of(Map.of(
                        Option.API_PORT,
                        "0",
                        Option.SQL_PORT,
                        "0",
                        Option.BIND_ADDRESS,
                        "127.0.0.1",
                        Option.DIALECT,
                        "off")));
                Connection c = connect(plain, "&options=-c%20statement_timeout=5000");
                Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE off_scratch (id serial PRIMARY KEY)");
            st.execute("INSERT INTO off_scratch DEFAULT VALUES");
            st.execute("TRUNCATE off_scratch");
            st.execute("CREATE INDEX off_scratch_id ON off_scratch (id)");
            try (ResultSet rs = st.executeQuery("SHOW statement_timeout")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("5s");
            }
        }
    }
}
