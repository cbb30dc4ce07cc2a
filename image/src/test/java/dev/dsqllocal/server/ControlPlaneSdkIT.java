package dev.dsqllocal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dsqllocal.testsupport.TestSupport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;
import software.amazon.awssdk.services.dsql.model.ClusterSummary;
import software.amazon.awssdk.services.dsql.model.ConflictException;
import software.amazon.awssdk.services.dsql.model.CreateClusterResponse;
import software.amazon.awssdk.services.dsql.model.EncryptionType;
import software.amazon.awssdk.services.dsql.model.GetClusterResponse;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dsql.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.dsql.model.ValidationException;
import software.amazon.awssdk.services.dsql.model.ValidationExceptionReason;

/** The control plane through the real AWS SDK for Java v2 DSQL client: operations, waiters and the paginator. */
class ControlPlaneSdkIT {
    static DsqlLocalServer server;
    static DsqlClient dsql;

    @BeforeAll
    static void start() throws Exception {
        server = DsqlLocalServer.start(
                ServerConfig.of(Map.of(
                        Option.API_PORT,
                        "0",
                        Option.SQL_PORT,
                        "0",
                        Option.BIND_ADDRESS,
                        "127.0.0.1",
                        Option.CREATE_DELAY,
                        "300ms",
                        Option.UPDATE_DELAY,
                        "100ms",
                        Option.DELETE_DELAY,
                        "300ms",
                        Option.MAX_CLUSTERS,
                        "12")),
                TestSupport.fleets(),
                null);
        dsql = client(server.apiPort(), "test", "test");
    }

    static DsqlClient client(int port, String key, String secret) {
        return DsqlClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    @AfterAll
    static void stop() {
        if (dsql != null) {
            dsql.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static java.util.function.Consumer<WaiterOverrideConfiguration.Builder> fastWaiter() {
        return w -> w.maxAttempts(600)
                .backoffStrategyV2(
                        software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(Duration.ofMillis(100)));
    }

    @Test
    void defaultClusterIsActiveWithAwsShapedIdentifiers() {
        String id = server.defaultClusterId().orElseThrow();
        GetClusterResponse c = dsql.getCluster(r -> r.identifier(id));
        assertThat(c.status()).isEqualTo(ClusterStatus.ACTIVE);
        assertThat(c.identifier()).matches("[a-z2-7]{25}[aeimquy4]");
        assertThat(c.arn()).isEqualTo("arn:aws:dsql:us-east-1:000000000000:cluster/" + id);
        assertThat(c.endpoint()).isEqualTo(id + ".dsql.us-east-1.on.aws");
        assertThat(c.encryptionDetails().encryptionType()).isEqualTo(EncryptionType.AWS_OWNED_KMS_KEY);
        assertThat(server.clusterDirectory().defaultCluster())
                .get()
                .satisfies(v -> assertThat(v.identifier()).isEqualTo(id));
    }

    @Test
    void createWaitUpdateDeleteWithWaitersObservingRealTransitions() {
        CreateClusterResponse created = dsql.createCluster(r -> r.tags(Map.of("team", "db")));
        assertThat(created.status()).isEqualTo(ClusterStatus.CREATING);
        assertThat(created.deletionProtectionEnabled()).isTrue();
        assertThat(created.creationTime()).isNotNull();
        String id = created.identifier();
        assertThat(dsql.getCluster(r -> r.identifier(id)).status()).isEqualTo(ClusterStatus.CREATING);

        var active = dsql.waiter().waitUntilClusterActive(r -> r.identifier(id), fastWaiter());
        assertThat(active.attemptsExecuted()).isGreaterThan(1);
        assertThat(active.matched().response().orElseThrow().status()).isEqualTo(ClusterStatus.ACTIVE);
        assertThat(dsql.getCluster(r -> r.identifier(id)).tags()).containsEntry("team", "db");
        // An ACTIVE cluster has a real PostgreSQL answering on its loopback endpoint.
        var db = server.clusterDirectory().find(id).orElseThrow().database().orElseThrow();
        try (var conn = java.sql.DriverManager.getConnection(
                        "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres", "admin", "");
                var rs = conn.createStatement().executeQuery("SELECT current_user, version()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("admin");
            assertThat(rs.getString(2)).startsWith("PostgreSQL 16");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }

        assertThatThrownBy(() -> dsql.deleteCluster(r -> r.identifier(id)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo(ValidationExceptionReason.DELETION_PROTECTION_ENABLED);
                });
        assertThat(dsql.getCluster(r -> r.identifier(id)).status()).isEqualTo(ClusterStatus.ACTIVE);

        var updated = dsql.updateCluster(r -> r.identifier(id)
                .deletionProtectionEnabled(false)
                .kmsEncryptionKey("1234abcd-12ab-34cd-56ef-1234567890ab"));
        assertThat(updated.status()).isEqualTo(ClusterStatus.UPDATING);
        dsql.waiter().waitUntilClusterActive(r -> r.identifier(id), fastWaiter());
        GetClusterResponse after = dsql.getCluster(r -> r.identifier(id));
        assertThat(after.deletionProtectionEnabled()).isFalse();
        assertThat(after.encryptionDetails().encryptionType()).isEqualTo(EncryptionType.CUSTOMER_MANAGED_KMS_KEY);
        assertThat(after.encryptionDetails().kmsKeyArn())
                .isEqualTo("arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab");

        var deleting = dsql.deleteCluster(r -> r.identifier(id));
        assertThat(deleting.status()).isEqualTo(ClusterStatus.DELETING);
        // Deleting something already DELETING is idempotent.
        assertThat(dsql.deleteCluster(r -> r.identifier(id)).status()).isEqualTo(ClusterStatus.DELETING);
        var gone = dsql.waiter().waitUntilClusterNotExists(r -> r.identifier(id), fastWaiter());
        assertThat(gone.attemptsExecuted()).isGreaterThan(1);
        assertThat(gone.matched().exception().orElseThrow()).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void sessionCredentialsAreAccepted() {
        try (DsqlClient session = DsqlClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.apiPort()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create("test", "test", "tok")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            String id = server.defaultClusterId().orElseThrow();
            assertThat(session.getCluster(r -> r.identifier(id)).identifier()).isEqualTo(id);
        }
    }

    @Test
    void updateAndDeleteOfAClusterStillCreatingConflict() {
        String id = dsql.createCluster(r -> r.deletionProtectionEnabled(false)).identifier();
        assertThatThrownBy(() -> dsql.updateCluster(r -> r.identifier(id).deletionProtectionEnabled(true)))
                .isInstanceOfSatisfying(
                        ConflictException.class, e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThatThrownBy(() -> dsql.deleteCluster(r -> r.identifier(id))).isInstanceOf(ConflictException.class);
        dsql.waiter().waitUntilClusterActive(r -> r.identifier(id), fastWaiter());
        dsql.deleteCluster(r -> r.identifier(id));
    }

    @Test
    void listClustersPaginatorWalksSeveralPages() {
        for (int i = 0; i < 4; i++) {
            dsql.createCluster(r -> r.deletionProtectionEnabled(false));
        }
        List<String> viaPages = dsql.listClustersPaginator(r -> r.maxResults(2)).clusters().stream()
                .map(ClusterSummary::identifier)
                .collect(Collectors.toList());
        var firstPage = dsql.listClusters(r -> r.maxResults(2));
        assertThat(firstPage.clusters()).hasSize(2);
        assertThat(firstPage.nextToken()).isNotBlank();
        List<String> all = dsql.listClusters(r -> r.maxResults(100)).clusters().stream()
                .map(ClusterSummary::identifier)
                .collect(Collectors.toList());
        assertThat(viaPages)
                .hasSizeGreaterThanOrEqualTo(5)
                .containsExactlyElementsOf(all)
                .doesNotHaveDuplicates();
        assertThat(dsql.listClusters(r -> r.maxResults(100)).nextToken()).isNull();
    }

    @Test
    void clientTokenMakesCreateIdempotent() {
        String token = UUID.randomUUID().toString();
        var first = dsql.createCluster(r -> r.clientToken(token).deletionProtectionEnabled(false));
        var again = dsql.createCluster(r -> r.clientToken(token).deletionProtectionEnabled(false));
        assertThat(again.identifier()).isEqualTo(first.identifier());
        int before = dsql.listClusters(r -> r.maxResults(100)).clusters().size();
        assertThatThrownBy(() -> dsql.createCluster(r -> r.clientToken(token).deletionProtectionEnabled(true)))
                .isInstanceOf(ConflictException.class);
        assertThat(dsql.listClusters(r -> r.maxResults(100)).clusters()).hasSize(before);
    }

    @Test
    void policiesHaveVersionsAndOptimisticConcurrency() {
        String id = server.defaultClusterId().orElseThrow();
        assertThatThrownBy(() -> dsql.getClusterPolicy(r -> r.identifier(id)))
                .isInstanceOf(ResourceNotFoundException.class);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        String v1 = dsql.putClusterPolicy(r -> r.identifier(id).policy(policy)).policyVersion();
        String v2 = dsql.putClusterPolicy(r -> r.identifier(id).policy(policy).expectedPolicyVersion(v1))
                .policyVersion();
        assertThat(Long.parseLong(v2)).isEqualTo(Long.parseLong(v1) + 1);
        assertThatThrownBy(() -> dsql.putClusterPolicy(
                        r -> r.identifier(id).policy(policy).expectedPolicyVersion(v1)))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> dsql.putClusterPolicy(r -> r.identifier(id).policy("[1,2]")))
                .isInstanceOf(ValidationException.class);
        var got = dsql.getClusterPolicy(r -> r.identifier(id));
        assertThat(got.policy()).isEqualTo(policy);
        assertThat(got.policyVersion()).isEqualTo(v2);
        assertThat(dsql.deleteClusterPolicy(r -> r.identifier(id).expectedPolicyVersion(v2))
                        .policyVersion())
                .isEqualTo(v2);
        assertThatThrownBy(() -> dsql.getClusterPolicy(r -> r.identifier(id)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void tagsOnClusterArns() {
        String id = server.defaultClusterId().orElseThrow();
        String arn = dsql.getCluster(r -> r.identifier(id)).arn();
        dsql.tagResource(r -> r.resourceArn(arn).tags(Map.of("env", "local", "owner", "me@example.com")));
        assertThat(dsql.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .containsEntry("env", "local")
                .containsEntry("owner", "me@example.com");
        dsql.untagResource(r -> r.resourceArn(arn).tagKeys("owner"));
        assertThat(dsql.listTagsForResource(r -> r.resourceArn(arn)).tags()).doesNotContainKey("owner");
        String unknown = "arn:aws:dsql:us-east-1:000000000000:cluster/ruabtlcu6nqjdl6k6jjcug67ta";
        assertThatThrownBy(() -> dsql.listTagsForResource(r -> r.resourceArn(unknown)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void vpcEndpointServiceNameAndUnknownClusters() {
        String id = server.defaultClusterId().orElseThrow();
        var vpc = dsql.getVpcEndpointServiceName(r -> r.identifier(id));
        assertThat(vpc.serviceName()).matches("com\\.amazonaws\\.us-east-1\\.dsql-[a-f0-9]{6}");
        assertThatThrownBy(() -> dsql.getCluster(r -> r.identifier("ruabtlcu6nqjdl6k6jjcug67ta")))
                .isInstanceOfSatisfying(
                        ResourceNotFoundException.class,
                        e -> assertThat(e.resourceId()).isEqualTo("ruabtlcu6nqjdl6k6jjcug67ta"));
        assertThatThrownBy(() -> dsql.getVpcEndpointServiceName(r -> r.identifier("ruabtlcu6nqjdl6k6jjcug67ta")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void multiRegionPropertiesRoundTripAndPendingSetup() {
        var first = dsql.createCluster(
                r -> r.deletionProtectionEnabled(false).multiRegionProperties(m -> m.witnessRegion("us-west-2")));
        assertThat(first.status()).isEqualTo(ClusterStatus.PENDING_SETUP);
        assertThat(first.multiRegionProperties().witnessRegion()).isEqualTo("us-west-2");
        assertThat(first.multiRegionProperties().clusters()).containsExactly(first.arn());
        // A peer must exist: an ARN naming no cluster is refused.
        String unknown = "arn:aws:dsql:us-east-2:000000000000:cluster/kiqenqglxyl2snyvkvnj2c3s2e";
        assertThatThrownBy(() -> dsql.updateCluster(r -> r.identifier(first.identifier())
                        .multiRegionProperties(m -> m.witnessRegion("us-west-2").clusters(unknown))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("does not exist");
        try (DsqlClient east2 = DsqlClient.builder()
                .region(Region.US_EAST_2)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.apiPort()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            var second = east2.createCluster(r -> r.deletionProtectionEnabled(false)
                    .multiRegionProperties(m -> m.witnessRegion("us-west-2").clusters(first.arn())));
            // The second waits too, until the first names it back.
            assertThat(second.status()).isEqualTo(ClusterStatus.PENDING_SETUP);
            dsql.updateCluster(r -> r.identifier(first.identifier())
                    .multiRegionProperties(m -> m.witnessRegion("us-west-2").clusters(second.arn())));
            dsql.waiter().waitUntilClusterActive(r -> r.identifier(first.identifier()), fastWaiter());
            east2.waiter().waitUntilClusterActive(r -> r.identifier(second.identifier()), fastWaiter());
            assertThat(dsql.getCluster(r -> r.identifier(first.identifier()))
                            .multiRegionProperties()
                            .clusters())
                    .containsExactly(first.arn(), second.arn());
        }
        assertThatThrownBy(() -> dsql.createCluster(r -> r.multiRegionProperties(m -> m.witnessRegion("us-east-1"))))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void clusterQuotaIsEnforced() throws Exception {
        try (DsqlLocalServer small = DsqlLocalServer.start(
                        ServerConfig.of(Map.of(
                                Option.API_PORT,
                                "0",
                                Option.BIND_ADDRESS,
                                "127.0.0.1",
                                Option.INITIAL_CLUSTERS,
                                "0",
                                Option.MAX_CLUSTERS,
                                "1")),
                        TestSupport.fleets(),
                        null);
                DsqlClient other = client(small.apiPort(), "test", "test")) {
            other.createCluster(r -> r.deletionProtectionEnabled(false));
            assertThatThrownBy(() -> other.createCluster(r -> r.deletionProtectionEnabled(false)))
                    .isInstanceOfSatisfying(ServiceQuotaExceededException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(402);
                        assertThat(e.getMessage()).startsWith("You have reached the cluster limit.");
                        assertThat(e.serviceCode()).isEqualTo("dsql");
                        assertThat(e.resourceType()).isEqualTo("cluster");
                    });
            assertThat(other.listClusters(r -> r.maxResults(10)).clusters()).hasSize(1);
        }
    }
}
