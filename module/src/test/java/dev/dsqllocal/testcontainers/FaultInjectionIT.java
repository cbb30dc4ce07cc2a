package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;

/** Deterministic conflicts and faults for testing retry logic, on the shared singleton container. */
class FaultInjectionIT {
    private static final DsqlContainer dsql = SharedDsql.DSQL;

    @AfterEach
    void clearFaults() {
        dsql.faults().clear();
    }

    @Test
    void theNextCommitFailsWithOc000AndRollsBackThenARetryCommits() throws SQLException {
        try (Connection c = TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS fault_probe (id int PRIMARY KEY)");
            dsql.faults().failNextCommits(1, ConflictCode.OC000, "fault_probe");
            assertThat(dsql.faults().list()).contains("\"remaining\":1");

            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO fault_probe VALUES (1)");
            assertThatThrownBy(c::commit).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("40001");
                assertThat(e.getMessage()).contains("change conflicts with another transaction (OC000)");
            });
            c.rollback();

            s.executeUpdate("INSERT INTO fault_probe VALUES (1)");
            c.commit();
            c.setAutoCommit(true);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM fault_probe")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1))
                        .as("the failed commit left nothing behind")
                        .isEqualTo(1);
            }
            assertThat(dsql.faults().list()).doesNotContain("commit-conflict");
        }
    }

    @Test
    void newConnectionsFailWhileInjectedAndWorkAfterClear() throws SQLException {
        dsql.faults().failNewConnections(Duration.ofMinutes(5));

        assertThatThrownBy(() -> TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken())
                        .close())
                .isInstanceOfSatisfying(
                        SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08006"));

        dsql.faults().clear();
        try (Connection c = TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken())) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void anInjectedStatusShowsInGetClusterUntilCleared() {
        try (DsqlClient client = TestClients.dsqlClient(dsql)) {
            dsql.faults().reportStatus(ClusterStatus.IDLE);
            assertThat(client.getCluster(b -> b.identifier(dsql.getClusterIdentifier()))
                            .status())
                    .isEqualTo(ClusterStatus.IDLE);

            dsql.faults().clear();
            assertThat(client.getCluster(b -> b.identifier(dsql.getClusterIdentifier()))
                            .status())
                    .isEqualTo(ClusterStatus.ACTIVE);
        }
    }

    @Test
    void refusesAZeroCountWithTheEmulatorsReason() {
        assertThatThrownBy(() -> dsql.faults().failNextCommits(0, ConflictCode.OC000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("400")
                .hasMessageContaining("count");
    }
}
