package dev.dsqllocal.gateway;

import dev.dsqllocal.auth.AuthMode;
import dev.dsqllocal.auth.CredentialStore;
import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.clusters.ClusterView;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.testsupport.TestClusters;
import dev.dsqllocal.testsupport.TestPostgres;
import dev.dsqllocal.tls.ServerTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * One PostgreSQL server and one gateway shared by the gateway tests of a JVM (starting them is the slow part),
 * plus helpers to start extra gateways with other limits over the same server.
 */
final class GatewayFixture {
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";
    static final String OTHER_ACCOUNT = "111111111111";
    static final String DEFAULT_ID = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
    static final String OTHER_ACCOUNT_ID = "bbbbbbbbbbbbbbbbbbbbbbbbbb";
    static final String IDLE_ID = "cccccccccccccccccccccccccc";
    static final String CREATING_ID = "dddddddddddddddddddddddddd";
    static final Principal DEFAULT = new Principal("test", "test", ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":root");
    static final Principal OTHER =
            new Principal("other", "othersecret", OTHER_ACCOUNT, "arn:aws:iam::" + OTHER_ACCOUNT + ":user/other");

    private static GatewayFixture shared;

    final TestPostgres postgres;
    final TestClusters clusters;
    final Path tlsDir;
    final ServerTls tls;
    final SqlGateway gateway;

    private GatewayFixture() throws Exception {
        postgres = TestPostgres.start();
        clusters = new TestClusters()
                .put(cluster(DEFAULT_ID, ACCOUNT, ClusterStatus.ACTIVE))
                .put(cluster(OTHER_ACCOUNT_ID, OTHER_ACCOUNT, ClusterStatus.ACTIVE))
                .put(cluster(IDLE_ID, ACCOUNT, ClusterStatus.IDLE))
                .put(cluster(CREATING_ID, ACCOUNT, ClusterStatus.CREATING))
                .defaultCluster(DEFAULT_ID);
        tlsDir = Files.createTempDirectory("gateway-tls");
        tls = ServerTls.load(tlsDir, Optional.empty(), Optional.empty(), REGION, List.of("gateway.test"));
        gateway = startGateway(s -> s);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            try {
                postgres.close();
                try (var files = Files.walk(tlsDir)) {
                    files.sorted(java.util.Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                }
            } catch (Exception ignored) {
                // best effort at JVM exit
            }
        }));
    }

    static synchronized GatewayFixture get() throws Exception {
        if (shared == null) {
            shared = new GatewayFixture();
        }
        return shared;
    }

    static GatewaySettings defaultSettings() {
        return new GatewaySettings(
                10_000,
                100,
                1000,
                Duration.ofMinutes(60),
                Duration.ofMinutes(5),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10));
    }

    /**
     * Another gateway over the same clusters; the caller closes it. It runs with the dialect off (the
     * pass-through proxy, like {@code --dialect off}): the proxy tests exercise wire mechanics with statements
     * DSQL refuses (TEMP tables, TRUNCATE, several DDLs in a transaction); the dialect has its own tests.
     */
    SqlGateway startGateway(UnaryOperator<GatewaySettings> settings) throws InterruptedException {
        return startGateway(settings, SessionPolicy.Factory.NONE);
    }

    SqlGateway startGateway(UnaryOperator<GatewaySettings> settings, SessionPolicy.Factory policies)
            throws InterruptedException {
        return new SqlGateway(
                        settings.apply(defaultSettings()),
                        tls,
                        clusters,
                        new CredentialStore(List.of(DEFAULT, OTHER), AuthMode.STRICT),
                        RoleMappings.NONE,
                        policies,
                        Clock.systemUTC())
                .start("127.0.0.1", 0);
    }

    ClusterView cluster(String id, String account, ClusterStatus status) {
        return new ClusterView(id, account, REGION, status, Optional.of(postgres.endpoint()));
    }

    static String endpoint(String clusterId) {
        return clusterId + ".dsql." + REGION + ".on.aws";
    }

    static DsqlUtilities utilities(Principal principal, String region) {
        return DsqlUtilities.builder()
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(principal.accessKeyId(), principal.secretAccessKey())))
                .build();
    }

    static String adminToken(String host) {
        return utilities(DEFAULT, REGION).generateDbConnectAdminAuthToken(b -> b.hostname(host));
    }

    String jdbcUrl(int port, String params) {
        return "jdbc:postgresql://localhost:" + port + "/postgres?" + params;
    }

    Path caFile() {
        return tlsDir.resolve("ca.pem");
    }
}
