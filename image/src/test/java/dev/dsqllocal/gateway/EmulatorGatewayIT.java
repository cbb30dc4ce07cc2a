package dev.dsqllocal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.clusters.ClusterView;
import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import dev.dsqllocal.server.SqlGatewayFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.CreateClusterResponse;
import software.amazon.dsql.jdbc.AuroraDsqlCredentialsManager;

/**
 * The whole emulator (control plane, PostgreSQL 16 fleet, SQL gateway) as a user meets it: the CA from
 * {@code /dsql-local/ca.pem}, tokens from the SDK, a cluster created with the SDK reached by its endpoint name.
 */
class EmulatorGatewayIT {
    static DsqlLocalServer server;
    static DsqlClient client;
    static Path ca;

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        server = DsqlLocalServer.start(
                ServerConfig.of(Map.of(Option.API_PORT, "0", Option.SQL_PORT, "0", Option.BIND_ADDRESS, "127.0.0.1")),
                DsqlLocalServer.Fleets.postgres(),
                new SqlGatewayFactory(dev.dsqllocal.session.SessionPolicy.Factory.NONE, RoleMappings.NONE));
        client = DsqlClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.apiPort()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        HttpResponse<String> pem = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + server.apiPort() + "/dsql-local/ca.pem"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(pem.statusCode()).isEqualTo(200);
        assertThat(pem.body())
                .startsWith("-----BEGIN CERTIFICATE-----")
                .isEqualTo(Files.readString(server.dataDir().resolve("tls/ca.pem")));
        ca = tmp.resolve("ca.pem");
        Files.writeString(ca, pem.body());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static Connection connect(String tokenHost) throws SQLException {
        String token = client.utilities().generateDbConnectAdminAuthToken(b -> b.hostname(tokenHost));
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + server.sqlPort() + "/postgres?sslmode=verify-full&sslrootcert=" + ca,
                "admin",
                token);
    }

    @Test
    void defaultClusterThroughVerifyFull() throws Exception {
        try (Connection c = connect("localhost");
                ResultSet rs = c.createStatement()
                        .executeQuery("select current_user, current_setting('server_version_num')::int >= 160000")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("admin");
            assertThat(rs.getBoolean(2)).isTrue();
        }
    }

    @Test
    void clusterCreatedWithTheSdkIsReachedByItsEndpointName() throws Exception {
        CreateClusterResponse created = client.createCluster(b -> b.deletionProtectionEnabled(false));
        client.waiter()
                .waitUntilClusterActive(
                        b -> b.identifier(created.identifier()), w -> w.waitTimeout(Duration.ofSeconds(60)));
        String endpoint = created.identifier() + ".dsql.us-east-1.on.aws";
        try (Connection c = connect(endpoint)) {
            c.createStatement().execute("create table only_in_new_cluster (id int primary key)");
        }
        try (Connection c = connect("localhost")) {
            SQLException e = catchThrowableOfType(
                    SQLException.class, () -> c.createStatement().executeQuery("select * from only_in_new_cluster"));
            assertThat(e.getSQLState()).isEqualTo("42P01");
        }
        // No session stays behind on the backend.
        ClusterView view = server.clusterDirectory().find(created.identifier()).orElseThrow();
        DatabaseEndpoint db = view.database().orElseThrow();
        GatewayBadInputIT.eventually(
                () -> {
                    try (Connection su = DriverManager.getConnection(
                                    "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres?user=postgres");
                            ResultSet rs = su.createStatement()
                                    .executeQuery("select count(*) from pg_stat_activity where usename = 'admin'")) {
                        rs.next();
                        return rs.getInt(1) == 0;
                    } catch (SQLException ex) {
                        return false;
                    }
                },
                "admin sessions closed");

        client.deleteCluster(b -> b.identifier(created.identifier()));
        PSQLException gone = catchThrowableOfType(PSQLException.class, () -> {
            GatewayBadInputIT.eventually(
                    () -> server.clusterDirectory().find(created.identifier()).isEmpty()
                            || server.clusterDirectory()
                                    .find(created.identifier())
                                    .get()
                                    .status()
                                    .name()
                                    .startsWith("DELET"),
                    "cluster deleting");
            connect(endpoint).close();
        });
        assertThat(gone.getServerErrorMessage().getSQLState()).isEqualTo("08006");
    }

    @Test
    void awsJdbcConnectorAgainstTheEmulator() throws Exception {
        AuroraDsqlCredentialsManager.setProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        try (Connection c = DriverManager.getConnection("jdbc:aws-dsql:postgresql://localhost:" + server.sqlPort()
                        + "/postgres?user=admin&region=us-east-1&sslmode=verify-full&sslrootcert=" + ca);
                ResultSet rs = c.createStatement().executeQuery("select 1")) {
            assertThat(rs.next()).isTrue();
        } finally {
            AuroraDsqlCredentialsManager.resetProvider();
        }
    }

    @Test
    void caSurvivesARestartWithADataDirectory(@TempDir Path data) throws Exception {
        java.nio.file.Files.setPosixFilePermissions(
                data, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        ServerConfig config = ServerConfig.of(Map.of(
                Option.API_PORT,
                "0",
                Option.SQL_PORT,
                "0",
                Option.BIND_ADDRESS,
                "127.0.0.1",
                Option.DATA_DIR,
                data.toString()));
        String first;
        try (DsqlLocalServer s = DsqlLocalServer.start(config)) {
            first = Files.readString(data.resolve("tls/ca.pem"));
        }
        try (DsqlLocalServer s = DsqlLocalServer.start(config)) {
            assertThat(Files.readString(data.resolve("tls/ca.pem"))).isEqualTo(first);
            Path trusted = data.resolve("trusted-ca.pem");
            Files.writeString(trusted, first);
            String token = client.utilities().generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
            try (Connection c = DriverManager.getConnection(
                    "jdbc:postgresql://localhost:" + s.sqlPort() + "/postgres?sslmode=verify-full&sslrootcert="
                            + trusted,
                    "admin",
                    token)) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }
}
