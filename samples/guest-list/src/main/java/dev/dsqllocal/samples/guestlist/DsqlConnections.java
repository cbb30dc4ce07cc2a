package dev.dsqllocal.samples.guestlist;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/** pgJDBC connections authenticated with a DSQL IAM auth token, made fresh for each new connection. */
public final class DsqlConnections implements ConnectionFactory {
    private final String jdbcUrl;
    private final String user;
    private final Supplier<String> tokens;

    public DsqlConnections(String jdbcUrl, String user, Supplier<String> tokens) {
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        this.user = Objects.requireNonNull(user, "user");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * For a real cluster: {@code jdbc:postgresql://<endpoint>:5432/postgres?sslmode=verify-full} and tokens signed
     * by the given credentials (15 minutes each, the SDK default, which is plenty for opening one connection).
     */
    public static DsqlConnections forCluster(
            String clusterEndpoint, Region region, String user, AwsCredentialsProvider credentials) {
        DsqlUtilities utilities = DsqlUtilities.builder()
                .region(region)
                .credentialsProvider(credentials)
                .build();
        Supplier<String> tokens = "admin".equals(user)
                ? () -> utilities.generateDbConnectAdminAuthToken(b -> b.hostname(clusterEndpoint))
                : () -> utilities.generateDbConnectAuthToken(b -> b.hostname(clusterEndpoint));
        return new DsqlConnections(
                "jdbc:postgresql://" + clusterEndpoint + ":5432/postgres?sslmode=verify-full", user, tokens);
    }

    @Override
    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", tokens.get());
        return DriverManager.getConnection(jdbcUrl, props);
    }
}
