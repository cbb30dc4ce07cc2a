package dev.dsqllocal.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.clusters.ClusterStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultRegistryTest {
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final FaultRegistry registry = new FaultRegistry(Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void commitConflictsAreUsedUpInOrderAndRespectTheirTable() {
        registry.add("c1", new FaultRegistry.CommitConflict(FaultRegistry.ConflictCode.OC001, 1, "public.orders"));
        registry.add("c1", new FaultRegistry.CommitConflict(FaultRegistry.ConflictCode.OC000, 2, null));
        assertThat(registry.takeCommitConflict("c1", Set.of("items"))).contains(FaultRegistry.ConflictCode.OC000);
        assertThat(registry.takeCommitConflict("c1", Set.of("orders"))).contains(FaultRegistry.ConflictCode.OC001);
        assertThat(registry.takeCommitConflict("c1", Set.of("orders"))).contains(FaultRegistry.ConflictCode.OC000);
        assertThat(registry.takeCommitConflict("c1", Set.of("orders"))).isEmpty();
        assertThat(registry.active("c1")).isEmpty();
        assertThat(registry.takeCommitConflict("c2", List.of())).isEmpty();
    }

    @Test
    void windowsExpireAndStatusOverridesNeverTouchOtherClusters() {
        registry.add("c1", new FaultRegistry.ConnectionFailure(now.plusSeconds(5)));
        registry.add("c1", new FaultRegistry.ConnectionFailure(now));
        registry.add("c1", new FaultRegistry.StatusOverride(ClusterStatus.FAILED, null));
        assertThat(registry.refusesConnections("c1")).isTrue();
        assertThat(registry.refusesConnections("c2")).isFalse();
        assertThat(registry.active("c1")).hasSize(2);
        assertThat(registry.reportedStatus("c1", ClusterStatus.ACTIVE)).isEqualTo(ClusterStatus.FAILED);
        assertThat(registry.reportedStatus("c2", ClusterStatus.ACTIVE)).isEqualTo(ClusterStatus.ACTIVE);
        registry.clear("c1");
        assertThat(registry.reportedStatus("c1", ClusterStatus.ACTIVE)).isEqualTo(ClusterStatus.ACTIVE);
    }
}
