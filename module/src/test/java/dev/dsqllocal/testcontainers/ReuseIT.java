package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * {@code withReuse(true)}: a second DsqlContainer with the same configuration attaches to the running container,
 * its cluster and its data. Needs {@code TESTCONTAINERS_REUSE_ENABLE=true} (module/pom.xml sets it for surefire).
 */
class ReuseIT {

    @Test
    void aSecondContainerWithTheSameConfigurationIsTheSameContainer() throws Exception {
        assertThat(TestcontainersConfiguration.getInstance().environmentSupportsReuse())
                .as("TESTCONTAINERS_REUSE_ENABLE=true must be set for this test (module/pom.xml does)")
                .isTrue();
        DsqlContainer first = new DsqlContainer().withRegion("eu-west-1").withReuse(true);
        try {
            first.start();
            try (Connection connection = first.createConnection("");
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS reuse_marker (id int PRIMARY KEY)");
                statement.execute("INSERT INTO reuse_marker VALUES (1) ON CONFLICT DO NOTHING");
            }

            DsqlContainer second = new DsqlContainer().withRegion("eu-west-1").withReuse(true);
            second.start();
            assertThat(second.getContainerId()).isEqualTo(first.getContainerId());
            assertThat(second.getClusterIdentifier()).isEqualTo(first.getClusterIdentifier());
            try (Connection connection = second.createConnection("");
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*) FROM reuse_marker")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        } finally {
            // Reused containers outlive the JVM on purpose; this test cleans up after itself.
            first.stop();
        }
    }
}
