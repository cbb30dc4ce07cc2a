package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.auth.AuthMode;
import dev.dsqllocal.auth.CredentialStore;
import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.clusters.ClusterView;
import dev.dsqllocal.gateway.GatewaySettings;
import dev.dsqllocal.gateway.RoleMappings;
import dev.dsqllocal.gateway.SqlGateway;
import dev.dsqllocal.testsupport.TestClusters;
import dev.dsqllocal.testsupport.TestPostgres;
import dev.dsqllocal.tls.ServerTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/** End to end: pgJDBC → gateway with the dialect policy → real PostgreSQL 16. */
class DialectGatewayIT {

    private static final String REGION = "us-east-1";
    private static final String CLUSTER = "dddddddddddddddddddddddddd";
    private static final Principal ADMIN =
            new Principal("test", "test", "000000000000", "arn:aws:iam::000000000000:root");

    private static TestPostgres postgres;
    private static Path tlsDir;
    private static SqlGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        postgres = TestPostgres.start();
        TestClusters clusters = new TestClusters()
                .put(new ClusterView(
                        CLUSTER, ADMIN.accountId(), REGION, ClusterStatus.ACTIVE, Optional.of(postgres.endpoint())))
                .defaultCluster(CLUSTER);
        tlsDir = Files.createTempDirectory("dialect-tls");
        ServerTls tls = ServerTls.load(tlsDir, Optional.empty(), Optional.empty(), REGION, List.of("gateway.test"));
        GatewaySettings settings = new GatewaySettings(
                100,
                100,
                100,
                Duration.ofMinutes(60),
                Duration.ofMinutes(5),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10));
        gateway = new SqlGateway(
                        settings,
                        tls,
                        clusters,
                        new CredentialStore(List.of(ADMIN), AuthMode.STRICT),
                        RoleMappings.NONE,
                        DialectPolicy.factory(DialectRules.latest(), Clock.systemUTC()),
                        Clock.systemUTC())
                .start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (tlsDir != null) {
            try (var files = Files.walk(tlsDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Connection connect(String params) throws SQLException {
        String token = DsqlUtilities.builder()
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ADMIN.accessKeyId(), ADMIN.secretAccessKey())))
                .build()
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + gateway.port() + "/postgres?sslmode=require&" + params,
                "admin",
                token);
    }

    @Test
    void refusalsCarryDsqlsErrorAndLeaveTheSessionUsable() throws Exception {
        try (Connection c = connect("");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS dialect_a (id int PRIMARY KEY)");
            SQLException e = catchThrowableOfType(SQLException.class, () -> st.execute("TRUNCATE dialect_a"));
            assertThat(e.getSQLState()).isEqualTo("0A000");
            assertThat(e.getMessage()).contains("unsupported statement: Truncate");
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
                ps.setLong(1, 42);
                SQLException lock = catchThrowableOfType(SQLException.class, ps::executeQuery);
                assertThat(lock.getSQLState()).isEqualTo("0A000");
                assertThat(lock.getMessage()).contains("function pg_advisory_lock not supported");
            }
        }
    }

    @Test
    void secondDdlFailsTheTransactionLikeDsql() throws Exception {
        try (Connection c = connect("");
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS dialect_b");
            st.execute("DROP TABLE IF EXISTS dialect_c");
            c.setAutoCommit(false);
            st.execute("CREATE TABLE dialect_b (id int)");
            SQLException e =
                    catchThrowableOfType(SQLException.class, () -> st.execute("CREATE TABLE dialect_c (id int)"));
            assertThat(e.getSQLState()).isEqualTo("0A000");
            assertThat(e.getMessage()).contains("multiple ddl statements not supported in a transaction");
            SQLException aborted = catchThrowableOfType(SQLException.class, () -> st.execute("SELECT 1"));
            assertThat(aborted.getSQLState()).isEqualTo("25P02");
            c.rollback();
            c.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('dialect_b') IS NULL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1))
                        .as("the transaction was rolled back")
                        .isTrue();
            }
        }
    }

    @Test
    void rowLimitFailsTheTransaction() throws Exception {
        try (Connection c = connect("");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS dialect_rows (id int)");
            c.setAutoCommit(false);
            SQLException e = catchThrowableOfType(
                    SQLException.class, () -> st.execute("INSERT INTO dialect_rows SELECT generate_series(1, 3001)"));
            assertThat(e.getSQLState()).isEqualTo("54000");
            assertThat(e.getMessage()).contains("transaction row limit exceeded");
            SQLException aborted = catchThrowableOfType(SQLException.class, () -> st.execute("SELECT 1"));
            assertThat(aborted.getSQLState()).isEqualTo("25P02");
            c.commit(); // DSQL answers ROLLBACK for the failed transaction
            c.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM dialect_rows")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @Test
    void dsqlsSyncIndexSettingIsAccepted() throws Exception {
        try (Connection c = connect("preferQueryMode=simple");
                Statement st = c.createStatement()) {
            st.execute("SET disable_sync_create_index = off");
            try (ResultSet rs = st.executeQuery("SHOW disable_sync_create_index")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("off");
            }
        }
    }

    @Test
    void aRefusalInAMultiStatementQueryRollsBackItsImplicitTransaction() throws Exception {
        try (Connection c = connect("preferQueryMode=simple");
                Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS dialect_d");
            SQLException e = catchThrowableOfType(
                    SQLException.class,
                    () -> st.execute("CREATE TABLE dialect_d (id int); INSERT INTO dialect_d VALUES (1)"));
            assertThat(e.getSQLState()).isEqualTo("0A000");
            assertThat(e.getMessage()).contains("ddl and dml are not supported in the same transaction");
            try (ResultSet rs = st.executeQuery("SELECT to_regclass('dialect_d') IS NULL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1))
                        .as("CREATE TABLE was undone with the implicit transaction")
                        .isTrue();
            }
        }
    }
}
