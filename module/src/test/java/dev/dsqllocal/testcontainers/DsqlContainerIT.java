package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.DsqlUtilities;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;
import software.amazon.awssdk.services.dsql.model.CreateClusterResponse;
import software.amazon.awssdk.services.dsql.model.GetClusterResponse;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;

/** One container for the class (a static {@code @Container} field), used the ways a user would. */
@Testcontainers
class DsqlContainerIT {

    // container {
    @Container
    static final DsqlContainer dsql = new DsqlContainer().withInitScript("init-guests.sql");
    // }

    @Test
    void connectsWithPgJdbcAndAnAdminToken() throws SQLException {
        try (Connection connection = TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT current_user, current_database(), current_setting('server_version')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("admin");
            assertThat(rs.getString(2)).isEqualTo("postgres");
            assertThat(rs.getString(3)).startsWith("16.");
        }
    }

    @Test
    void jdbcUrlAndPasswordWorkLikeAnyJdbcContainer() throws SQLException {
        assertThat(dsql.getJdbcUrl()).startsWith("jdbc:postgresql://").contains("sslmode=require");
        assertThat(dsql.getUsername()).isEqualTo("admin");
        try (Connection connection = TestClients.connect(dsql.getJdbcUrl(), dsql.getUsername(), dsql.getPassword());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT note FROM init_script_marker")) {
            assertThat(rs.next()).as("the row withInitScript wrote").isTrue();
            assertThat(rs.getString(1)).isEqualTo("written by withInitScript");
        }
        try (Connection connection = dsql.createConnection("")) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    @Test
    void createsAndDeletesClustersWithTheSdkAndItsWaiters() throws SQLException {
        try (DsqlClient client = TestClients.dsqlClient(dsql)) {
            assertThat(client.getCluster(b -> b.identifier(dsql.getClusterIdentifier()))
                            .status())
                    .isEqualTo(ClusterStatus.ACTIVE);

            CreateClusterResponse created = client.createCluster(b -> b.deletionProtectionEnabled(false));
            GetClusterResponse active = client.waiter()
                    .waitUntilClusterActive(b -> b.identifier(created.identifier()))
                    .matched()
                    .response()
                    .orElseThrow();
            assertThat(active.status()).isEqualTo(ClusterStatus.ACTIVE);
            assertThat(created.endpoint()).isEqualTo(dsql.clusterEndpoint(created.identifier()));

            // The new cluster is a database of its own: the startup cluster's table is not there.
            String token = dsql.generateAuthToken(created.endpoint(), "admin", Duration.ofMinutes(5));
            try (Connection connection = TestClients.connect(dsql.getJdbcUrl(), "admin", token);
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT to_regclass('public.init_script_marker') IS NULL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
            }

            client.deleteCluster(b -> b.identifier(created.identifier()));
            client.waiter().waitUntilClusterNotExists(b -> b.identifier(created.identifier()));
            assertThatThrownBy(() -> client.getCluster(b -> b.identifier(created.identifier())))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void refusesATokenSignedWithTheWrongSecret() {
        DsqlUtilities wrongSecret = DsqlUtilities.builder()
                .region(Region.of(dsql.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(dsql.getAccessKey(), "not-the-secret")))
                .build();
        String token = wrongSecret.generateDbConnectAdminAuthToken(b -> b.hostname(dsql.getClusterEndpoint()));

        assertThatThrownBy(() ->
                        TestClients.connect(dsql.getJdbcUrl(), "admin", token).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("access denied");
    }

    @Test
    void adminNeedsAnAdminToken() {
        String dbConnectToken = dsql.generateAuthToken("someone-else");

        assertThatThrownBy(() -> TestClients.connect(dsql.getJdbcUrl(), "admin", dbConnectToken)
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("access denied");
    }

    @Test
    void verifiesTheServerCertificateWithTheEmulatorsCa(@TempDir Path dir) throws Exception {
        Path ca = dsql.copyCaCertificateTo(dir.resolve("dsql-local-ca.pem"));
        String verifyFull = "jdbc:postgresql://" + dsql.getHost() + ":" + dsql.getSqlPort()
                + "/postgres?sslmode=verify-full&sslrootcert=" + ca;

        try (Connection connection = TestClients.connect(verifyFull, "admin", dsql.generateAuthToken());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT 1")) {
            assertThat(rs.next()).isTrue();
        }
    }
}
