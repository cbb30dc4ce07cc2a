package dev.dsqllocal.clusters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The state machine with a stand-in fleet and persistence: failures, cascades, pagination and identifiers. */
class ClusterServiceTest {
    /** No delays and the AWS default quotas. */
    static final Lifecycle NO_DELAYS =
            new Lifecycle(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 20, 5, 5);

    static final Caller ME = new Caller("000000000000", "us-east-1", "arn:aws:iam::000000000000:root");

    final AtomicReference<ClusterSnapshot> saved = new AtomicReference<>(ClusterSnapshot.empty());
    final Set<String> destroyed = ConcurrentHashMap.newKeySet();
    volatile boolean failProvision;
    ClusterDomain domain;
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
            public void close() {}
        };
        domain = new ClusterDomain(ClusterSnapshot.empty(), saved::set, fleet, NO_DELAYS, Clock.systemUTC());
        service = domain.clusters();
    }

    @AfterEach
    void tearDown() {
        domain.close();
    }

    private String create() {
        return service.createCluster(
                        ME,
                        new ClusterService.ClusterSpec(
                                Optional.empty(),
                                false,
                                Optional.empty(),
                                Optional.empty(),
                                Map.of(),
                                Optional.empty()))
                .identifier();
    }

    @Test
    void failedProvisioningMakesTheClusterFailedAndItCanBeDeleted() throws Exception {
        failProvision = true;
        String id = create();
        assertThat(service.awaitActive(id, Duration.ofSeconds(5))).isFalse();
        assertThat(service.getCluster(ME, id).status()).isEqualTo(ClusterStatus.FAILED);
        assertThat(saved.get().clusters().get(id).status()).isEqualTo(ClusterStatus.FAILED);
        service.deleteCluster(ME, id);
        waitUntil(() -> destroyed.contains(id) && service.find(id).isEmpty());
        assertThat(saved.get().clusters()).doesNotContainKey(id);
    }

    @Test
    void deletingAClusterTakesItsStreamsWithIt() throws Exception {
        String id = create();
        assertThat(service.awaitActive(id, Duration.ofSeconds(5))).isTrue();
        var spec = new ClusterStreams.StreamSpec(
                "arn:aws:kinesis:us-east-1:000000000000:stream/s",
                "arn:aws:iam::000000000000:role/r",
                "UNORDERED",
                "JSON",
                Map.of());
        ClusterStreams streams = domain.streams();
        String sid = streams.createStream(ME, id, spec).identifier();
        waitUntil(() -> streams.getStream(ME, id, sid).status() == StreamStatus.ACTIVE);
        assertThat(service.deleteCluster(ME, id).streams().get(sid).status()).isEqualTo(StreamStatus.DELETING);
        waitUntil(() -> service.find(id).isEmpty());
        assertThatThrownBy(() -> streams.getStream(ME, id, sid))
                .isInstanceOfSatisfying(
                        ClusterException.NotFound.class,
                        e -> assertThat(e.resourceId()).isEqualTo(id));
    }

    @Test
    void pagesCoverEveryClusterOnceEvenWhenOneIsDeletedBetweenPages() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(service.awaitActive(create(), Duration.ofSeconds(5))).isTrue();
        }
        var first = service.listClusters(ME, 2, "");
        assertThat(first.items()).hasSize(2);
        assertThat(first.more()).isTrue();
        String last = first.items().get(1).identifier();
        service.deleteCluster(ME, last);
        var second = service.listClusters(ME, 10, last);
        assertThat(second.items()).hasSize(3);
        assertThat(second.more()).isFalse();
        assertThat(second.items()).extracting(Cluster::identifier).allMatch(id -> id.compareTo(last) > 0);
        // Another account's or Region's clusters are not listed.
        assertThat(service.listClusters(new Caller("000000000000", "us-west-2", ME.principalArn()), 10, "")
                        .items())
                .isEmpty();
    }

    @Test
    void refusalsAreDomainErrorsAndChangeNothing() throws Exception {
        String id = create();
        assertThat(service.awaitActive(id, Duration.ofSeconds(5))).isTrue();
        service.updateCluster(
                ME, id, new ClusterService.ClusterUpdate(Optional.of(true), Optional.empty(), Optional.empty()));
        assertThat(service.awaitActive(id, Duration.ofSeconds(5))).isTrue();
        assertThatThrownBy(() -> service.deleteCluster(ME, id))
                .isInstanceOfSatisfying(
                        ClusterException.InvalidInput.class,
                        e -> assertThat(e.reason())
                                .isEqualTo(ClusterException.InvalidInput.Reason.DELETION_PROTECTION));
        assertThat(service.getCluster(ME, id).status()).isEqualTo(ClusterStatus.ACTIVE);
        assertThatThrownBy(() -> service.createCluster(
                        ME,
                        new ClusterService.ClusterSpec(
                                Optional.of(id),
                                false,
                                Optional.empty(),
                                Optional.empty(),
                                Map.of(),
                                Optional.empty())))
                .isInstanceOfSatisfying(
                        ClusterException.Conflict.class,
                        e -> assertThat(e.resourceId()).contains(id));
        assertThatThrownBy(() -> domain.policies().getPolicy(ME, id)).isInstanceOf(ClusterException.NotFound.class);
        assertThat(domain.policies().putPolicy(ME, id, "{}", Optional.empty())).isEqualTo(1);
        assertThatThrownBy(() -> domain.policies().deletePolicy(ME, id, Optional.of("7")))
                .isInstanceOf(ClusterException.Conflict.class);
        assertThat(domain.policies().deletePolicy(ME, id, Optional.of("1"))).isEqualTo(1);
        assertThat(domain.policies().putPolicy(ME, id, "{}", Optional.empty())).isEqualTo(2);
    }

    @Test
    void identifiersLookLikeAwsOnes() {
        for (int i = 0; i < 50; i++) {
            assertThat(ClusterIds.newId()).matches("[a-z2-7]{25}[aeimquy4]");
        }
        assertThat(Arns.cluster("cn-north-1", "123456789012", "a".repeat(26)))
                .startsWith("arn:aws-cn:dsql:cn-north-1:123456789012:cluster/");
        assertThat(Arns.cluster("us-gov-west-1", "123456789012", "a".repeat(26)))
                .startsWith("arn:aws-us-gov:");
        assertThat(List.of(ClusterIds.base32(new byte[] {'f', 'o', 'o', 'b', 'a', 'r'})))
                .containsExactly("mzxw6ytboi");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
