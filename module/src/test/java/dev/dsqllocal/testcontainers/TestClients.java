package dev.dsqllocal.testcontainers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;

/** How a user's test talks to a {@link DsqlContainer}: the AWS SDK for the control plane, pgJDBC for SQL. */
final class TestClients {
    private TestClients() {}

    static DsqlClient dsqlClient(DsqlContainer dsql) {
        return DsqlClient.builder()
                .endpointOverride(dsql.getEndpoint())
                .region(Region.of(dsql.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(dsql.getAccessKey(), dsql.getSecretKey())))
                .build();
    }

    static Connection connect(String jdbcUrl, String user, String token) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", token);
        return DriverManager.getConnection(jdbcUrl, props);
    }
}
