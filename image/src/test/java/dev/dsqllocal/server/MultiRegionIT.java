package dev.dsqllocal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.testsupport.TestSupport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;
import software.amazon.awssdk.services.dsql.model.CreateClusterResponse;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;

/**
 * Peered multi-Region clusters as AWS sets them up
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/multi-region-aws-cli.html): two SDK clients, one per
 * Region, the first cluster created with a witness Region, the second naming the first, the first updated naming
 * the second; then pgJDBC through each cluster's own endpoint with a token signed for that cluster's Region.
 */
class MultiRegionIT {
    private static final String OC000 = "change conflicts with another transaction (OC000)";
    private static final String OC001 = "schema has been updated by another transaction (OC001)";
    private static final Consumer<WaiterOverrideConfiguration.Builder> FAST =
            w -> w.maxAttempts(600).backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(50)));

    private static DsqlLocalServer server;
    private static DsqlClient east1;
    private static DsqlClient east2;

    /** A peered pair: {@code first} in us-east-1, {@code second} in us-east-2. */
    record Pair(CreateClusterResponse first, CreateClusterResponse second) {}

    @BeforeAll
    static void start() throws Exception {
        server = DsqlLocalServer.start(
                ServerConfig.of(Map.of(Option.API_PORT, "0", Option.SQL_PORT, "0", Option.BIND_ADDRESS, "127.0.0.1")));
        east1 = client(server, Region.US_EAST_1);
        east2 = client(server, Region.US_EAST_2);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {east1, east2, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing what is left
            }
        }
    }

    static DsqlClient client(DsqlLocalServer server, Region region) {
        return DsqlClient.builder()
                .region(region)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.apiPort()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** The documented set-up, checking the statuses on the way. */
    static Pair peer(DsqlClient one, DsqlClient two) {
        CreateClusterResponse first = one.createCluster(
                r -> r.deletionProtectionEnabled(false).multiRegionProperties(m -> m.witnessRegion("us-west-2")));
        assertThat(first.status()).isEqualTo(ClusterStatus.PENDING_SETUP);
        CreateClusterResponse second = two.createCluster(r -> r.deletionProtectionEnabled(false)
                .multiRegionProperties(m -> m.witnessRegion("us-west-2").clusters(first.arn())));
        assertThat(second.status()).isEqualTo(ClusterStatus.PENDING_SETUP);
        one.updateCluster(r -> r.identifier(first.identifier())
                .multiRegionProperties(m -> m.witnessRegion("us-west-2").clusters(second.arn())));
        one.waiter().waitUntilClusterActive(r -> r.identifier(first.identifier()), FAST);
        two.waiter().waitUntilClusterActive(r -> r.identifier(second.identifier()), FAST);
        assertThat(two.getCluster(r -> r.identifier(second.identifier()))
                        .multiRegionProperties()
                        .clusters())
                .containsExactly(second.arn(), first.arn());
        return new Pair(first, second);
    }

    /** pgJDBC to the cluster's own endpoint name with a token signed by {@code client} (its Region). */
    static Connection connect(DsqlLocalServer server, DsqlClient client, String host) throws SQLException {
        String token = client.utilities().generateDbConnectAdminAuthToken(b -> b.hostname(host));
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + server.sqlPort() + "/postgres?sslmode=verify-full&sslrootcert="
                        + server.dataDir().resolve("tls/ca.pem"),
                "admin",
                token);
    }

    static String host(CreateClusterResponse c, String region) {
        return c.identifier() + ".dsql." + region + ".on.aws";
    }

    private static long value(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static void assertConflict(SQLException e, String text) {
        assertThat((Object) e).isNotNull();
        assertThat(e.getSQLState()).isEqualTo("40001");
        assertThat(e.getMessage()).contains(text);
    }

    @Test
    void aRowWrittenThroughUsEast1IsReadThroughUsEast2() throws Exception {
        Pair pair = peer(east1, east2);
        try (Connection one = connect(server, east1, host(pair.first(), "us-east-1"));
                Statement s1 = one.createStatement()) {
            s1.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
            s1.execute("INSERT INTO orders VALUES (1, 'coffee')");
        }
        try (Connection two = connect(server, east2, host(pair.second(), "us-east-2"));
                ResultSet rs = two.createStatement().executeQuery("SELECT item FROM orders WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("coffee");
        }
        // Each endpoint verifies tokens for its own Region: a us-east-1 token for the us-east-2 cluster is refused.
        SQLException wrongRegion = catchThrowableOfType(
                SQLException.class, () -> connect(server, east1, host(pair.second(), "us-east-2")));
        assertThat(wrongRegion.getSQLState()).isEqualTo("08006");
        assertThat(wrongRegion.getMessage()).contains("Credential should be scoped to a valid region");
    }

    @Test
    void concurrentWritesThroughBothEndpointsConflictAndDdlGivesTheOtherOc001() throws Exception {
        Pair pair = peer(east1, east2);
        try (Connection a = connect(server, east1, host(pair.first(), "us-east-1"));
                Connection b = connect(server, east2, host(pair.second(), "us-east-2"));
                Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE counters (id int PRIMARY KEY, v int)");
            sa.execute("INSERT INTO counters VALUES (1, 0)");
            // b was open through us-east-2 when us-east-1 committed DDL: its next statement gets OC001 once.
            assertConflict(
                    catchThrowableOfType(SQLException.class, () -> value(sb, "SELECT v FROM counters WHERE id = 1")),
                    OC001);
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            // b's snapshot predates a's commit through the other Region: as on one cluster, b's UPDATE succeeds on
            // its snapshot and its COMMIT fails with OC000 (the first committer wins).
            assertThat(value(sb, "SELECT v FROM counters WHERE id = 1")).isZero();
            sa.executeUpdate("UPDATE counters SET v = 1 WHERE id = 1");
            a.commit();
            assertThat(sb.executeUpdate("UPDATE counters SET v = 2 WHERE id = 1"))
                    .isEqualTo(1);
            assertConflict(catchThrowableOfType(SQLException.class, b::commit), OC000);
            b.rollback();
            // Both open, one per Region: b commits first and wins; a, whose row lock b met, fails at COMMIT.
            sa.executeUpdate("UPDATE counters SET v = 5 WHERE id = 1");
            assertThat(sb.executeUpdate("UPDATE counters SET v = 6 WHERE id = 1"))
                    .isEqualTo(1);
            b.commit();
            assertConflict(catchThrowableOfType(SQLException.class, a::commit), OC000);
            a.rollback();
            // DDL through us-east-1 ends us-east-2's open transaction with OC001.
            assertThat(value(sb, "SELECT v FROM counters WHERE id = 1")).isEqualTo(6);
            a.setAutoCommit(true);
            sa.execute("CREATE TABLE counters_more (id int PRIMARY KEY)");
            assertConflict(
                    catchThrowableOfType(
                            SQLException.class, () -> sb.executeUpdate("UPDATE counters SET v = 3 WHERE id = 1")),
                    OC001);
            b.rollback();
            assertThat(sb.executeUpdate("UPDATE counters SET v = 3 WHERE id = 1"))
                    .isEqualTo(1);
            b.commit();
        }
    }

    @Test
    void anUnpeeredClusterInTheOtherRegionIsSeparate() throws Exception {
        Pair pair = peer(east1, east2);
        CreateClusterResponse alone = east2.createCluster(r -> r.deletionProtectionEnabled(false));
        east2.waiter().waitUntilClusterActive(r -> r.identifier(alone.identifier()), FAST);
        try (Connection one = connect(server, east1, host(pair.first(), "us-east-1"))) {
            one.createStatement().execute("CREATE TABLE only_in_the_pair (id int PRIMARY KEY)");
        }
        try (Connection other = connect(server, east2, host(alone, "us-east-2"))) {
            SQLException e = catchThrowableOfType(
                    SQLException.class, () -> other.createStatement().executeQuery("SELECT * FROM only_in_the_pair"));
            assertThat(e.getSQLState()).isEqualTo("42P01");
        }
    }

    @Test
    void deletingOneMemberKeepsTheDataUntilTheLastIsDeleted() throws Exception {
        Pair pair = peer(east1, east2);
        String database = server.clusterDirectory()
                .find(pair.second().identifier())
                .orElseThrow()
                .databaseId();
        try (Connection one = connect(server, east1, host(pair.first(), "us-east-1"))) {
            one.createStatement().execute("CREATE TABLE kept (id int PRIMARY KEY)");
            one.createStatement().execute("INSERT INTO kept VALUES (7)");
        }
        // AWS: the first stays in PENDING_DELETE until its peer is deleted too; the peer serves the data meanwhile.
        assertThat(east1.deleteCluster(r -> r.identifier(pair.first().identifier()))
                        .status())
                .isEqualTo(ClusterStatus.PENDING_DELETE);
        assertThat(east1.getCluster(r -> r.identifier(pair.first().identifier()))
                        .status())
                .isEqualTo(ClusterStatus.PENDING_DELETE);
        SQLException refused =
                catchThrowableOfType(SQLException.class, () -> connect(server, east1, host(pair.first(), "us-east-1")));
        assertThat(refused.getSQLState()).isEqualTo("08006");
        try (Connection two = connect(server, east2, host(pair.second(), "us-east-2"))) {
            assertThat(value(two.createStatement(), "SELECT id FROM kept")).isEqualTo(7);
        }
        // Deleting the last member deletes both, and the shared database with them.
        assertThat(east2.deleteCluster(r -> r.identifier(pair.second().identifier()))
                        .status())
                .isEqualTo(ClusterStatus.DELETING);
        east1.waiter().waitUntilClusterNotExists(r -> r.identifier(pair.first().identifier()), FAST);
        east2.waiter().waitUntilClusterNotExists(r -> r.identifier(pair.second().identifier()), FAST);
        assertThat(server.dataDir().resolve("clusters").resolve(database)).doesNotExist();
    }

    @Test
    void removingThePeerLeavesTheDataWithTheClusterThatRemovedIt() throws Exception {
        Pair pair = peer(east1, east2);
        try (Connection two = connect(server, east2, host(pair.second(), "us-east-2"))) {
            two.createStatement().execute("CREATE TABLE stays (id int PRIMARY KEY)");
        }
        // The second drops the first from its peers (the full desired list, here empty).
        east2.updateCluster(
                r -> r.identifier(pair.second().identifier()).multiRegionProperties(m -> m.witnessRegion("us-west-2")));
        east2.waiter().waitUntilClusterActive(r -> r.identifier(pair.second().identifier()), FAST);
        var first = east1.getCluster(r -> r.identifier(pair.first().identifier()));
        assertThat(first.status()).isEqualTo(ClusterStatus.PENDING_SETUP);
        assertThat(first.multiRegionProperties().clusters())
                .containsExactly(pair.first().arn());
        assertThat(catchThrowableOfType(
                                SQLException.class, () -> connect(server, east1, host(pair.first(), "us-east-1")))
                        .getSQLState())
                .isEqualTo("08006");
        try (Connection two = connect(server, east2, host(pair.second(), "us-east-2"))) {
            assertThat(value(two.createStatement(), "SELECT count(*) FROM stays"))
                    .isZero();
        }
        east1.deleteCluster(r -> r.identifier(pair.first().identifier()));
        east1.waiter().waitUntilClusterNotExists(r -> r.identifier(pair.first().identifier()), FAST);
        try (Connection two = connect(server, east2, host(pair.second(), "us-east-2"))) {
            assertThat(value(two.createStatement(), "SELECT count(*) FROM stays"))
                    .isZero();
        }
        assertThatNoClusterAnswers(pair.first().identifier());
    }

    private static void assertThatNoClusterAnswers(String id) {
        assertThat(catchThrowableOfType(ResourceNotFoundException.class, () -> east1.getCluster(r -> r.identifier(id))))
                .isNotNull();
    }

    @Test
    void theSharingSurvivesARestartInPersistentMode(@TempDir Path dir) throws Exception {
        Map<Option, String> options = new EnumMap<>(Option.class);
        options.put(Option.API_PORT, "0");
        options.put(Option.SQL_PORT, "0");
        options.put(Option.BIND_ADDRESS, "127.0.0.1");
        options.put(Option.DATA_DIR, TestSupport.dataDir(dir));
        Pair pair;
        String database;
        try (DsqlLocalServer durable = DsqlLocalServer.start(ServerConfig.of(options));
                DsqlClient one = client(durable, Region.US_EAST_1);
                DsqlClient two = client(durable, Region.US_EAST_2)) {
            pair = peer(one, two);
            database = durable.clusterDirectory()
                    .find(pair.first().identifier())
                    .orElseThrow()
                    .databaseId();
            try (Connection c = connect(durable, one, host(pair.first(), "us-east-1"))) {
                c.createStatement().execute("CREATE TABLE durable (id int PRIMARY KEY)");
                c.createStatement().execute("INSERT INTO durable VALUES (42)");
            }
        }
        try (DsqlLocalServer durable = DsqlLocalServer.start(ServerConfig.of(options));
                DsqlClient one = client(durable, Region.US_EAST_1);
                DsqlClient two = client(durable, Region.US_EAST_2)) {
            assertThat(durable.clusterDirectory()
                            .find(pair.second().identifier())
                            .orElseThrow()
                            .databaseId())
                    .isEqualTo(database);
            assertThat(Files.isDirectory(dir.resolve("clusters").resolve(database)))
                    .isTrue();
            two.waiter().waitUntilClusterActive(r -> r.identifier(pair.second().identifier()), FAST);
            try (Connection c = connect(durable, two, host(pair.second(), "us-east-2"))) {
                assertThat(value(c.createStatement(), "SELECT id FROM durable")).isEqualTo(42);
                c.createStatement().execute("INSERT INTO durable VALUES (43)");
            }
            try (Connection c = connect(durable, one, host(pair.first(), "us-east-1"))) {
                assertThat(value(c.createStatement(), "SELECT count(*) FROM durable"))
                        .isEqualTo(2);
            }
        }
    }
}
