package com.example.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dsqllocal.testcontainers.DsqlCluster;
import dev.dsqllocal.testcontainers.DsqlContainer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The AWS JDBC connector ({@code jdbc:aws-dsql:postgresql://}) makes a fresh IAM token for each connection from the
 * AWS SDK's default credentials, signed for the URL's host; DSQL Local routes by that host. So the startup cluster is
 * reached as {@code localhost} with an explicit {@code region}, and any other cluster by its own endpoint name,
 * which the test resolves to the container's address.
 */
@Testcontainers
class AwsJdbcConnectorTest {
    @Container
    static DsqlContainer dsql = new DsqlContainer();

    @BeforeAll
    static void awsCredentialsForTheConnector() {
        // One of the default chain's sources; in a real deployment it is the environment, a profile or a role.
        System.setProperty("aws.accessKeyId", dsql.getAccessKey());
        System.setProperty("aws.secretAccessKey", dsql.getSecretKey());
    }

    /** The startup cluster, through the container's mapped port; {@code localhost} names no region, so it is given. */
    static String startupClusterUrl() {
        return "jdbc:aws-dsql:postgresql://" + dsql.getHost() + ":" + dsql.getSqlPort()
                + "/postgres?user=admin&region=" + dsql.getRegion() + "&sslmode=require";
    }

    @Test
    void connectsToTheStartupClusterWithATokenItMadeItself() throws SQLException {
        try (Connection c = DriverManager.getConnection(startupClusterUrl())) {
            assertThat(queryString(c, "SELECT current_user")).isEqualTo("admin");
        }
    }

    @Test
    void reachesASecondClusterByItsEndpoint() throws Exception {
        try (DsqlCluster second = dsql.createCluster()) {
            resolveToContainer(second.getEndpoint());
            String url = "jdbc:aws-dsql:postgresql://" + second.getEndpoint() + ":" + dsql.getSqlPort()
                    + "/postgres?user=admin&sslmode=require"; // region from the endpoint name

            try (Connection c = DriverManager.getConnection(url);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE only_in_second (id int PRIMARY KEY)");
            }

            try (Connection second2 = DriverManager.getConnection(url);
                    Connection startup = DriverManager.getConnection(startupClusterUrl())) {
                assertThat(queryString(second2, "SELECT to_regclass('only_in_second')::text"))
                        .isEqualTo("only_in_second");
                assertThat(queryString(startup, "SELECT to_regclass('only_in_second')::text"))
                        .isNull();
            }
        }
    }

    @Test
    void hikariPoolsConnectorConnections() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setDriverClassName("software.amazon.dsql.jdbc.DSQLConnector");
        config.setJdbcUrl(startupClusterUrl());
        config.setMaximumPoolSize(2);
        config.setMaxLifetime(Duration.ofMinutes(50).toMillis()); // under DSQL's 60-minute connection limit
        try (HikariDataSource pool = new HikariDataSource(config);
                Connection c = pool.getConnection()) {
            assertThat(queryString(c, "SELECT current_user")).isEqualTo("admin");
        }
    }

    /**
     * Adds {@code <container address> <host>} to the hosts file this JVM resolves names with (the surefire argLine),
     * the address being that of {@link DsqlContainer#getHost()} (localhost, or the Docker host's address).
     */
    private static void resolveToContainer(String host) throws IOException {
        String address = InetAddress.getByName(dsql.getHost()).getHostAddress();
        Path hosts = Path.of(System.getProperty("jdk.net.hosts.file"));
        Files.writeString(hosts, address + " " + host + "\n", StandardOpenOption.APPEND);
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
