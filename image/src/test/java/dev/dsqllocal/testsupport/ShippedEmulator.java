package dev.dsqllocal.testsupport;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * The emulator as shipped ({@code DsqlLocalServer.start(config)}: dialect {@code latest}, ephemeral, ephemeral
 * ports on loopback), started once for a test class and closed after it:
 * {@code @RegisterExtension static final ShippedEmulator EMULATOR = new ShippedEmulator();}.
 */
public final class ShippedEmulator implements BeforeAllCallback, AfterAllCallback {
    private DsqlLocalServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = DsqlLocalServer.start(
                ServerConfig.of(Map.of(Option.API_PORT, "0", Option.SQL_PORT, "0", Option.BIND_ADDRESS, "127.0.0.1")));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    public DsqlLocalServer server() {
        return server;
    }

    /** pgJDBC as {@code admin} over verified TLS, with an IAM token from the AWS SDK ({@code params}: "&k=v..."). */
    public static Connection connectAsAdmin(DsqlLocalServer server, String params) throws SQLException {
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

    /** {@link #connectAsAdmin} to this emulator. */
    public Connection connect() throws SQLException {
        return connectAsAdmin(server, "");
    }
}
