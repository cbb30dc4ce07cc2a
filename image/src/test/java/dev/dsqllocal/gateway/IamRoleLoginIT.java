package dev.dsqllocal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * Custom database roles (DSQL-BEHAVIOUR.md §1.5, §3) through the emulator as shipped, with real SDK tokens: admin maps an
 * IAM principal to a role with {@code AWS IAM GRANT}, the principal's credentials then log in as that role with a
 * {@code DbConnect} token, and nobody else does.
 */
class IamRoleLoginIT {
    private static final String APP_ARN = "arn:aws:iam::000000000000:role/app";
    private static final String OTHER_ARN = "arn:aws:iam::000000000000:role/other";
    private static DsqlLocalServer server;

    @BeforeAll
    static void start() throws Exception {
        server = DsqlLocalServer.start(ServerConfig.of(Map.of(
                Option.API_PORT,
                "0",
                Option.SQL_PORT,
                "0",
                Option.BIND_ADDRESS,
                "127.0.0.1",
                Option.CREDENTIALS,
                "APPKEY:appsecret:000000000000:" + APP_ARN + ",OTHERKEY:othersecret:000000000000:" + OTHER_ARN)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect(String user, String accessKey, String secret, boolean admin) throws SQLException {
        return connect(user, accessKey, secret, admin, "");
    }

    private static Connection connect(String user, String accessKey, String secret, boolean admin, String params)
            throws SQLException {
        DsqlUtilities utilities = DsqlUtilities.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
                .build();
        String token = admin
                ? utilities.generateDbConnectAdminAuthToken(b -> b.hostname("localhost"))
                : utilities.generateDbConnectAuthToken(b -> b.hostname("localhost"));
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + server.sqlPort() + "/postgres?sslmode=verify-full&sslrootcert="
                        + server.dataDir().resolve("tls/ca.pem") + params,
                user,
                token);
    }

    private static Connection admin() throws SQLException {
        return connect("admin", "test", "test", true);
    }

    private static PSQLException refusedLogin(String user, String accessKey, String secret) {
        PSQLException e = catchThrowableOfType(
                PSQLException.class,
                () -> connect(user, accessKey, secret, false).close());
        assertThat((Object) e).as("login of " + user + " with " + accessKey).isNotNull();
        assertThat(e.getSQLState()).isEqualTo("08006");
        assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("unable to accept connection, access denied");
        return e;
    }

    private static SQLException failure(Statement st, String sql) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> st.execute(sql));
        assertThat((Object) e).as(sql).isNotNull();
        return e;
    }

    @Test
    void aMappedPrincipalLogsInAsItsRoleUntilTheMappingIsRevoked() throws Exception {
        try (Connection c = admin();
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE app WITH LOGIN");
            st.execute("CREATE TABLE app_orders (id int PRIMARY KEY, item text)");
            st.execute("INSERT INTO app_orders VALUES (1, 'book')");
            st.execute("GRANT SELECT, INSERT ON app_orders TO app");
            assertThat(refusedLogin("app", "APPKEY", "appsecret")
                            .getServerErrorMessage()
                            .getHint())
                    .contains("Role app has no IAM mapping for " + APP_ARN);

            st.execute("AWS IAM GRANT app TO '" + APP_ARN + "'");
            assertThat(st.getUpdateCount()).isZero();
        }

        try (Connection c = connect("app", "APPKEY", "appsecret", false);
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT current_user, item FROM app_orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("app");
                assertThat(rs.getString(2)).isEqualTo("book");
            }
            st.execute("INSERT INTO app_orders VALUES (2, 'pen')");
            assertThat(failure(st, "DELETE FROM app_orders").getSQLState()).isEqualTo("42501");
            // Only admin changes IAM trust, and nobody writes the mapping table directly
            SQLException grant = failure(st, "AWS IAM GRANT app TO '" + OTHER_ARN + "'");
            assertThat(grant.getSQLState()).isEqualTo("42501");
            assertThat(grant.getMessage()).contains("permission denied to grant IAM trust with role app");
            assertThat(failure(st, "INSERT INTO sys.dsql_local_iam_mappings VALUES (1, '" + OTHER_ARN + "', 1, 1)")
                            .getSQLState())
                    .isEqualTo("42P01");
            assertThat(failure(st, "CALL sys.dsql_local_iam_grant('app', '" + OTHER_ARN + "')")
                            .getSQLState())
                    .isEqualTo("42883");
        }

        // Another principal, and the right principal with the admin action, are refused
        refusedLogin("app", "OTHERKEY", "othersecret");
        PSQLException wrongAction = catchThrowableOfType(
                PSQLException.class,
                () -> connect("app", "APPKEY", "appsecret", true).close());
        assertThat(wrongAction.getServerErrorMessage().getHint())
                .isEqualTo("Wrong user to action mapping. user: app, action: DbConnectAdmin");

        try (Connection c = admin();
                Statement st = c.createStatement()) {
            st.execute("ALTER ROLE app NOLOGIN");
        }
        assertThat(refusedLogin("app", "APPKEY", "appsecret")
                        .getServerErrorMessage()
                        .getHint())
                .isEqualTo("Role app must have the LOGIN attribute");
        try (Connection c = admin();
                Statement st = c.createStatement()) {
            st.execute("ALTER ROLE app LOGIN");
            st.execute("AWS IAM REVOKE app FROM '" + APP_ARN + "'");
        }
        refusedLogin("app", "APPKEY", "appsecret");
        assertThat(refusedLogin("nobody_here", "APPKEY", "appsecret")
                        .getServerErrorMessage()
                        .getHint())
                .isEqualTo("Role nobody_here does not exist");
    }

    @Test
    void theMappingsViewListsGrantsWithTheirGrantor() throws Exception {
        // Simple Query protocol here (the other tests use pgJDBC's extended protocol)
        try (Connection c = connect("admin", "test", "test", true, "&preferQueryMode=simple");
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE reporter WITH LOGIN");
            st.execute("AWS IAM GRANT reporter TO 'arn:aws:iam::000000000000:user/alice'");
            st.execute("AWS IAM GRANT reporter TO 'arn:aws:iam::000000000000:role/reporting'");
            try (ResultSet rs = st.executeQuery(
                    "SELECT * FROM sys.iam_pg_role_mappings " + "WHERE pg_role_name = 'reporter' ORDER BY arn")) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i));
                }
                assertThat(columns)
                        .containsExactly(
                                "iam_oid",
                                "arn",
                                "pg_role_oid",
                                "pg_role_name",
                                "grantor_pg_role_oid",
                                "grantor_pg_role_name");
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    assertThat(rs.getLong("iam_oid")).isPositive();
                    assertThat(rs.getLong("pg_role_oid")).isPositive();
                    assertThat(rs.getLong("grantor_pg_role_oid")).isPositive();
                    rows.add(rs.getString("arn") + " " + rs.getString("pg_role_name") + " "
                            + rs.getString("grantor_pg_role_name"));
                }
                assertThat(rows)
                        .containsExactly(
                                "arn:aws:iam::000000000000:role/reporting reporter admin",
                                "arn:aws:iam::000000000000:user/alice reporter admin");
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sys.iam_pg_role_mappings m "
                    + "JOIN pg_roles r ON r.oid = m.grantor_pg_role_oid WHERE r.rolname = 'admin' "
                    + "AND m.pg_role_oid = 'reporter'::regrole")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void grantAndRevokeRefuseWhatDsqlRefuses() throws Exception {
        try (Connection c = admin();
                Statement st = c.createStatement()) {
            st.execute("CREATE ROLE nologin_role");
            st.execute("CREATE ROLE mapped WITH LOGIN");

            SQLException noLogin = failure(st, "AWS IAM GRANT nologin_role TO 'arn:aws:iam::000000000000:role/x'");
            assertThat(noLogin.getMessage())
                    .contains("role nologin_role must have the LOGIN attribute")
                    .doesNotContain("PL/pgSQL");
            SQLException badArn = failure(st, "AWS IAM GRANT mapped TO 'not-an-arn'");
            assertThat(badArn.getMessage()).contains("IAM role must look like an IAM ARN");
            assertThat(failure(st, "AWS IAM GRANT mapped TO 'arn:aws:sts::000000000000:assumed-role/x/y'")
                            .getMessage())
                    .contains("IAM role must look like an IAM ARN");
            SQLException unknown = failure(st, "AWS IAM GRANT ghost TO 'arn:aws:iam::000000000000:role/x'");
            assertThat(unknown.getMessage()).contains("Role ghost does not exist");

            st.execute("AWS IAM GRANT mapped TO 'arn:aws:iam::000000000000:role/mapped'");
            SQLException drop = failure(st, "DROP ROLE mapped");
            assertThat(drop.getSQLState()).isEqualTo("2BP01");
            assertThat(drop.getMessage())
                    .contains("role \"mapped\" cannot be dropped because some objects depend on it");
            st.execute("AWS IAM REVOKE mapped FROM 'arn:aws:iam::000000000000:role/mapped'");
            st.execute("DROP ROLE mapped");

            // AWS IAM GRANT is DDL: one per transaction, as DSQL
            c.setAutoCommit(false);
            st.execute("CREATE ROLE in_tx WITH LOGIN");
            SQLException second = failure(st, "AWS IAM GRANT in_tx TO 'arn:aws:iam::000000000000:role/in_tx'");
            assertThat(second.getSQLState()).isEqualTo("0A000");
            assertThat(second.getMessage()).contains("multiple ddl statements not supported in a transaction");
            c.rollback();
            c.setAutoCommit(true);
        }
    }
}
