package dev.dsqllocal.gateway;

import static dev.dsqllocal.gateway.GatewayFixture.DEFAULT;
import static dev.dsqllocal.gateway.GatewayFixture.OTHER;
import static dev.dsqllocal.gateway.GatewayFixture.REGION;
import static dev.dsqllocal.gateway.GatewayFixture.adminToken;
import static dev.dsqllocal.gateway.GatewayFixture.endpoint;
import static dev.dsqllocal.gateway.GatewayFixture.utilities;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;

/** Connecting through the gateway with pgJDBC and real SDK tokens: TLS modes, and DSQL's refusals. */
class GatewayAuthenticationIT {
    static GatewayFixture fx;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        fx = GatewayFixture.get();
        port = fx.gateway.port();
    }

    static Connection connect(String params, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(fx.jdbcUrl(port, params), props);
    }

    static String selectOne(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("select current_user || ' ' || current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static ServerErrorMessage refusal(String params, String user, String password) {
        PSQLException e = catchThrowableOfType(
                PSQLException.class, () -> connect(params, user, password).close());
        assertThat((Throwable) e).as("connection must be refused").isNotNull();
        assertThat(e.getServerErrorMessage()).as("server error of %s", e).isNotNull();
        return e.getServerErrorMessage();
    }

    @Test
    void sslModeRequireWithLocalhostToken() throws Exception {
        try (Connection c = connect("sslmode=require", "admin", adminToken("localhost"))) {
            assertThat(selectOne(c)).isEqualTo("admin postgres");
        }
    }

    @Test
    void verifyFullWithExportedCaAndClusterEndpointToken() throws Exception {
        String params = "sslmode=verify-full&sslrootcert=" + fx.caFile();
        try (Connection c = connect(params, "admin", adminToken(endpoint(GatewayFixture.DEFAULT_ID)))) {
            assertThat(selectOne(c)).isEqualTo("admin postgres");
        }
    }

    @Test
    void directTlsNegotiation() throws Exception {
        String params = "sslmode=verify-full&sslNegotiation=direct&sslrootcert=" + fx.caFile();
        try (Connection c = connect(params, "admin", adminToken("localhost"))) {
            assertThat(selectOne(c)).isEqualTo("admin postgres");
        }
    }

    @Test
    void tokenFromDsqlClientUtilities() throws Exception {
        try (DsqlClient client = DsqlClient.builder()
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            String token = client.utilities().generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
            try (Connection c = connect("sslmode=require", "admin", token)) {
                assertThat(selectOne(c)).isEqualTo("admin postgres");
            }
        }
    }

    @Test
    void expiredToken() throws Exception {
        String token = utilities(DEFAULT, REGION)
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost").expiresIn(Duration.ofSeconds(1)));
        Thread.sleep(2100);
        ServerErrorMessage error = refusal("sslmode=require", "admin", token);
        assertAccessDenied(error);
        assertThat(error.getHint()).startsWith("Signature expired: ");
    }

    @Test
    void tokenLongerThanAWeekIsRefusedWithDsqlText() {
        // The Java SDK will not sign more than 7 days; other signers (and hand-made tokens) do, and DSQL refuses
        // them by the lifetime before it looks at the signature.
        String token = utilities(DEFAULT, REGION)
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost").expiresIn(Duration.ofDays(7)))
                .replace("X-Amz-Expires=604800", "X-Amz-Expires=691200");
        assertThat(token).contains("X-Amz-Expires=691200");
        ServerErrorMessage error = refusal("sslmode=require", "admin", token);
        assertAccessDenied(error);
        assertThat(error.getHint()).contains("X-Amz-Expires must be less than a week (in seconds)");
    }

    @Test
    void wrongSecret() {
        String token = utilities(new dev.dsqllocal.auth.Principal("test", "wrong", "", ""), REGION)
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
        ServerErrorMessage error = refusal("sslmode=require", "admin", token);
        assertAccessDenied(error);
        assertThat(error.getHint()).doesNotStartWith("Signature expired").contains("signature");
    }

    @Test
    void alteredToken() {
        String token = adminToken("localhost").replace("Action=DbConnectAdmin", "Action=DbConnect");
        ServerErrorMessage error = refusal("sslmode=require", "someone", token);
        assertAccessDenied(error);
        assertThat(error.getHint()).contains("signature we calculated does not match");
    }

    @Test
    void tokenForAnotherRegion() {
        String token = utilities(DEFAULT, "us-west-2").generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
        ServerErrorMessage error = refusal("sslmode=require", "admin", token);
        assertAccessDenied(error);
        assertThat(error.getHint()).contains("us-west-2");
    }

    @Test
    void adminWithDbConnectToken() {
        String token = utilities(DEFAULT, REGION).generateDbConnectAuthToken(b -> b.hostname("localhost"));
        ServerErrorMessage error = refusal("sslmode=require", "admin", token);
        assertAccessDenied(error);
        assertThat(error.getHint()).isEqualTo("Wrong user to action mapping. user: admin, action: DbConnect");
    }

    @Test
    void customRoleWithAdminToken() {
        ServerErrorMessage error = refusal("sslmode=require", "app", adminToken("localhost"));
        assertAccessDenied(error);
        assertThat(error.getHint()).isEqualTo("Wrong user to action mapping. user: app, action: DbConnectAdmin");
    }

    @Test
    void customRoleWithoutIamMapping() {
        String token = utilities(DEFAULT, REGION).generateDbConnectAuthToken(b -> b.hostname("localhost"));
        ServerErrorMessage error = refusal("sslmode=require", "app", token);
        assertAccessDenied(error);
        assertThat(error.getHint()).contains("Role app has no IAM mapping");
    }

    @Test
    void plaintextConnectionIsRefused() {
        ServerErrorMessage error = refusal("sslmode=disable", "admin", adminToken("localhost"));
        assertThat(error.getSQLState()).isEqualTo("08P01");
        assertThat(error.getMessage()).contains("SSL is mandatory");
    }

    @Test
    void unknownCluster() {
        ServerErrorMessage error =
                refusal("sslmode=require", "admin", adminToken(endpoint("zzzzzzzzzzzzzzzzzzzzzzzzzz")));
        assertThat(error.getSQLState()).isEqualTo("08006");
        assertThat(error.getMessage()).isEqualTo("unable to accept connection, cluster not found");
    }

    @Test
    void anotherAccountsCluster() {
        ServerErrorMessage error =
                refusal("sslmode=require", "admin", adminToken(endpoint(GatewayFixture.OTHER_ACCOUNT_ID)));
        assertAccessDenied(error);
        assertThat(error.getHint()).contains("is not authorized to perform: dsql:DbConnectAdmin");
        // Its owner gets in.
        String ownerToken = utilities(OTHER, REGION)
                .generateDbConnectAdminAuthToken(b -> b.hostname(endpoint(GatewayFixture.OTHER_ACCOUNT_ID)));
        assertThat((Throwable) catchThrowableOfType(
                        SQLException.class,
                        () -> connect("sslmode=require", "admin", ownerToken).close()))
                .isNull();
    }

    @Test
    void idleAndCreatingClusters() {
        ServerErrorMessage idle = refusal("sslmode=require", "admin", adminToken(endpoint(GatewayFixture.IDLE_ID)));
        assertThat(idle.getSQLState()).isEqualTo("08006");
        assertThat(idle.getMessage()).isEqualTo("unable to accept connection, waking up cluster, please retry later");
        ServerErrorMessage creating =
                refusal("sslmode=require", "admin", adminToken(endpoint(GatewayFixture.CREATING_ID)));
        assertThat(creating.getSQLState()).isEqualTo("08006");
        assertThat(creating.getMessage()).startsWith("unable to accept connection, ");
    }

    @Test
    void onlyThePostgresDatabaseExists() {
        PSQLException e = catchThrowableOfType(
                PSQLException.class,
                () -> DriverManager.getConnection(
                        "jdbc:postgresql://localhost:" + port + "/mydb?sslmode=require",
                        "admin",
                        adminToken("localhost")));
        assertThat(e.getServerErrorMessage().getSQLState()).isEqualTo("3D000");
        assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("database \"mydb\" does not exist");
    }

    @Test
    void passwordThatIsNotAToken() {
        ServerErrorMessage error = refusal("sslmode=require", "admin", "hunter2");
        assertAccessDenied(error);
    }

    @Test
    void sniNamesTheClusterWhenTheTokenDoesNot() throws Exception {
        try (RawPgClient c = new RawPgClient(port).startTls(fx.caFile(), endpoint(GatewayFixture.IDLE_ID))) {
            c.startup("admin", "postgres");
            c.read();
            c.password(adminToken("localhost"));
            assertThat(c.readError())
                    .containsEntry('M', "unable to accept connection, waking up cluster, please retry later");
        }
        try (RawPgClient c = new RawPgClient(port).startTls(fx.caFile(), endpoint(GatewayFixture.DEFAULT_ID))) {
            c.login(adminToken("localhost"));
        }
    }

    static void assertAccessDenied(ServerErrorMessage error) {
        assertThat(error.getSeverity()).isEqualTo("FATAL");
        assertThat(error.getSQLState()).isEqualTo("08006");
        assertThat(error.getMessage()).isEqualTo("unable to accept connection, access denied");
    }
}
