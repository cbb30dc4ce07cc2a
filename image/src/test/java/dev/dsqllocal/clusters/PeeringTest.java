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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Peered clusters with a stand-in fleet: which database they share, when it is destroyed, and what recovery keeps. */
class PeeringTest {
    static final Caller EAST1 = new Caller("000000000000", "us-east-1", "arn:aws:iam::000000000000:root");
    static final Caller EAST2 = new Caller("000000000000", "us-east-2", "arn:aws:iam::000000000000:root");

    final AtomicReference<ClusterSnapshot> saved = new AtomicReference<>(ClusterSnapshot.empty());
    final Set<String> provisioned = ConcurrentHashMap.newKeySet();
    final Set<String> destroyed = ConcurrentHashMap.newKeySet();
    ClusterDomain domain;
    ClusterService service;

    private ClusterDomain start(ClusterSnapshot snapshot, Set<String> existingDirectories) {
        DatabaseFleet fleet = new DatabaseFleet() {
            @Override
            public DatabaseEndpoint provision(String database) {
                provisioned.add(database);
                return new DatabaseEndpoint("127.0.0.1", 1);
            }

            @Override
            public Optional<DatabaseEndpoint> endpoint(String database) {
                return provisioned.contains(database)
                        ? Optional.of(new DatabaseEndpoint("127.0.0.1", 1))
                        : Optional.empty();
            }

            @Override
            public void destroy(String database) {
                destroyed.add(database);
                provisioned.remove(database);
            }

            @Override
            public Set<String> existingClusterIds() throws IOException {
                return existingDirectories;
            }

            @Override
            public void close() {}
        };
        domain = new ClusterDomain(snapshot, saved::set, fleet, ClusterServiceTest.NO_DELAYS, Clock.systemUTC());
        service = domain.clusters();
        return domain;
    }

    @AfterEach
    void tearDown() {
        if (domain != null) {
            domain.close();
        }
    }

    private Cluster create(Caller caller, String witness, List<String> peers) {
        return service.createCluster(
                caller,
                new ClusterService.ClusterSpec(
                        Optional.empty(),
                        false,
                        Optional.empty(),
                        Optional.of(new MultiRegion(Optional.of(witness), peers)),
                        Map.of(),
                        Optional.empty()));
    }

    private Cluster nameAsPeer(Caller caller, Cluster c, String witness, List<String> peers) {
        return service.updateCluster(
                caller,
                c.identifier(),
                new ClusterService.ClusterUpdate(
                        Optional.empty(), Optional.empty(), Optional.of(new MultiRegion(Optional.of(witness), peers))));
    }

    private static String arn(Cluster c) {
        return Arns.cluster(c.region(), c.accountId(), c.identifier());
    }

    /** The documented set-up: both ACTIVE, both serving the first cluster's database. */
    private Cluster[] pair() throws Exception {
        Cluster first = create(EAST1, "us-west-2", List.of());
        Cluster second = create(EAST2, "us-west-2", List.of(arn(first)));
        assertThat(second.status()).isEqualTo(ClusterStatus.PENDING_SETUP);
        nameAsPeer(EAST1, first, "us-west-2", List.of(arn(second)));
        assertThat(service.awaitActive(first.identifier(), Duration.ofSeconds(5)))
                .isTrue();
        assertThat(service.awaitActive(second.identifier(), Duration.ofSeconds(5)))
                .isTrue();
        return new Cluster[] {first, second};
    }

    @Test
    void linkedClustersShareTheFirstClustersDatabase() throws Exception {
        start(ClusterSnapshot.empty(), Set.of());
        Cluster[] pair = pair();
        String shared = pair[0].identifier();
        assertThat(service.find(pair[0].identifier()).orElseThrow().databaseId())
                .isEqualTo(shared);
        assertThat(service.find(pair[1].identifier()).orElseThrow().databaseId())
                .isEqualTo(shared);
        assertThat(provisioned).containsExactly(shared);
        assertThat(saved.get().clusters().get(pair[1].identifier()).database()).isEqualTo(shared);
    }

    @Test
    void theSharedDatabaseGoesWithTheLastMemberOnly() throws Exception {
        start(ClusterSnapshot.empty(), Set.of());
        Cluster[] pair = pair();
        assertThat(service.deleteCluster(EAST1, pair[0].identifier()).status()).isEqualTo(ClusterStatus.PENDING_DELETE);
        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(destroyed).isEmpty();
        assertThat(service.find(pair[1].identifier()).orElseThrow().database()).isPresent();
        assertThat(service.deleteCluster(EAST2, pair[1].identifier()).status()).isEqualTo(ClusterStatus.DELETING);
        awaitGone(pair[0].identifier());
        awaitGone(pair[1].identifier());
        assertThat(destroyed).containsExactly(pair[0].identifier());
    }

    @Test
    void recoveryKeepsASharedDirectoryAndRemovesOrphans() throws Exception {
        start(ClusterSnapshot.empty(), Set.of());
        Cluster[] pair = pair();
        ClusterSnapshot snapshot = saved.get();
        domain.close();
        provisioned.clear();
        // The first is gone from the state (say, deleted after its peer dropped it); its directory is still used.
        Map<String, Cluster> clusters = new java.util.LinkedHashMap<>(snapshot.clusters());
        clusters.remove(pair[0].identifier());
        start(
                new ClusterSnapshot(clusters, snapshot.defaultClusterId(), true),
                Set.of(pair[0].identifier(), "orphanorphanorphanorphan22"));
        domain.recover().get(5, TimeUnit.SECONDS);
        TimeUnit.MILLISECONDS.sleep(100);
        assertThat(destroyed).containsExactly("orphanorphanorphanorphan22");
        assertThat(provisioned).containsExactly(pair[0].identifier());
    }

    @Test
    void peersMustExistShareTheWitnessAndBeUnpeered() throws Exception {
        start(ClusterSnapshot.empty(), Set.of());
        Cluster first = create(EAST1, "us-west-2", List.of());
        assertThatThrownBy(() -> create(
                        EAST2,
                        "us-west-2",
                        List.of("arn:aws:dsql:us-east-1:000000000000:cluster/kiqenqglxyl2snyvkvnj2c3s2e")))
                .isInstanceOf(ClusterException.InvalidInput.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> create(EAST2, "eu-west-1", List.of(arn(first))))
                .isInstanceOf(ClusterException.InvalidInput.class)
                .hasMessageContaining("witness Region us-west-2");
        Cluster[] pair = pair();
        assertThatThrownBy(() -> create(EAST2, "us-west-2", List.of(arn(pair[0]))))
                .isInstanceOf(ClusterException.InvalidInput.class)
                .hasMessageContaining("already peered");
    }

    private void awaitGone(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (service.find(id).isPresent() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        assertThat(service.find(id)).isEmpty();
    }
}
