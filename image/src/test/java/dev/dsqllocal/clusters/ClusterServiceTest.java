package dev.dsqllocal.clusters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dsqllocal.controlplane.ApiException;
import dev.dsqllocal.storage.ServiceState;
import dev.dsqllocal.storage.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state machine with a stand-in fleet: failures, cascades, pagination and identifiers. */
class ClusterServiceTest {
    static final Caller ME = new Caller("000000000000", "us-east-1", "arn:aws:iam::000000000000:root");

    @TempDir
    Path dir;
    final Set<String> destroyed = ConcurrentHashMap.newKeySet();
    volatile boolean failProvision;
    ClusterService service;

    @BeforeEach
    void setUp() {
        DatabaseFleet fleet = new DatabaseFleet() {
            @Override
            public DatabaseEndpoint provision(String clusterId) throws IOException {
                if (failProvision) {
                    throw new IOException("disk full (simulated)");
                }
                return new DatabaseEndpoint("127.0.0.1", 1);
            }

            @Override
            public Optional<DatabaseEndpoint> endpoint(String clusterId) {
                return Optional.empty();
            }

            @Override
            public void destroy(String clusterId) {
                destroyed.add(clusterId);
            }

            @Override
            public java.util.Set<String> existingClusterIds() {
                return java.util.Set.of();
            }

            @Override
            public void close() {
            }
        };
        service = new ClusterService(new ServiceState(), new StateStore(dir), fleet, Lifecycle.immediate(),
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    private String create() {
        return service.createCluster(ME, new ClusterService.ClusterSpec(Optional.empty(), false, Optional.empty(),
                Optional.empty(), Map.of(), Optional.empty())).identifier;
    }

    @Test
    void failedProvisioningMakesTheClusterFailedAndItCanBeDeleted() throws Exception {
        failProvision = true;
        String id = create();
        assertThat(service.awaitActive(id, Duration.ofSeconds(5))).isFalse();
        assertThat(service.getCluster(ME, id).status).isEqualTo(ClusterStatus.FAILED);
        service.deleteCluster(ME, id);
        waitUntil(() -> destroyed.contains(id) && service.find(id).isEmpty());
    }

    @Test
    void deletingAClusterTakesItsStreamsWithIt() throws Exception {
        String id = create();
        assertThat(service.awaitActive(id, Duration.ofSeconds(5))).isTrue();
        var spec = new ClusterService.StreamSpec("arn:aws:kinesis:us-east-1:000000000000:stream/s",
                "arn:aws:iam::000000000000:role/r", "UNORDERED", "JSON", Map.of());
        String sid = service.createStream(ME, id, spec).identifier;
        waitUntil(() -> service.getStream(ME, id, sid).status.name().equals("ACTIVE"));
        service.deleteCluster(ME, id);
        assertThat(service.getStream(ME, id, sid).status.name()).isEqualTo("DELETING");
        waitUntil(() -> service.find(id).isEmpty());
        assertThatThrownBy(() -> service.getStream(ME, id, sid)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void pagesCoverEveryClusterOnceEvenWhenOneIsDeletedBetweenPages() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(service.awaitActive(create(), Duration.ofSeconds(5))).isTrue();
        }
        var first = service.listClusters(ME, 2, Optional.empty());
        assertThat(first.items()).hasSize(2);
        service.deleteCluster(ME, first.items().get(1).identifier);
        var second = service.listClusters(ME, 10, first.nextToken());
        assertThat(second.items()).hasSize(3);
        assertThat(second.nextToken()).isEmpty();
        assertThatThrownBy(() -> service.listClusters(ME, 2, Optional.of("garbage!")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.type()).isEqualTo("ValidationException"));
        // A stream token is not a cluster token.
        assertThatThrownBy(() -> service.listClusters(ME, 2, Optional.of(PageToken.encode("stream", first.items().get(0).identifier))))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void identifiersLookLikeAwsOnes() {
        for (int i = 0; i < 50; i++) {
            assertThat(ClusterIds.newId()).matches("[a-z2-7]{25}[aeimquy4]");
        }
        assertThat(Arns.cluster("cn-north-1", "123456789012", "a".repeat(26)))
                .startsWith("arn:aws-cn:dsql:cn-north-1:123456789012:cluster/");
        assertThat(Arns.cluster("us-gov-west-1", "123456789012", "a".repeat(26))).startsWith("arn:aws-us-gov:");
        assertThat(List.of(ClusterIds.base32(new byte[] {'f', 'o', 'o', 'b', 'a', 'r'}))).containsExactly("mzxw6ytboi");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
