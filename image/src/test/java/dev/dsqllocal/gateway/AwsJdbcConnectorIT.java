package dev.dsqllocal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.dsql.jdbc.AuroraDsqlCredentialsManager;

/**
 * The AWS JDBC connector for DSQL (1.0.0, the version available here) against the gateway. 1.0.0 takes
 * credentials from {@code AuroraDsqlCredentialsManager.setProvider} (or a {@code profile}), needs {@code region}
 * for a non-AWS host, sets no SSL defaults of its own and passes other URL parameters through to pgJDBC.
 */
class AwsJdbcConnectorIT {

    @AfterEach
    void resetCredentials() {
        AuroraDsqlCredentialsManager.resetProvider();
    }

    @Test
    void connectorMintsATokenAndConnects() throws Exception {
        GatewayFixture fx = GatewayFixture.get();
        AuroraDsqlCredentialsManager.setProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        String url = "jdbc:aws-dsql:postgresql://localhost:" + fx.gateway.port() + "/postgres?user=admin"
                + "&region=us-east-1&sslmode=verify-full&sslrootcert=" + fx.caFile();
        try (Connection c = DriverManager.getConnection(url);
                ResultSet rs = c.createStatement().executeQuery("select current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("admin");
        }
    }
}
