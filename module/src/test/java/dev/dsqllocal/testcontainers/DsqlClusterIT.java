package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;

/** {@link DsqlContainer#createCluster()}: an empty, isolated database per test, deleted by close(). */
class DsqlClusterIT {
    private static final DsqlContainer dsql = SharedDsql.DSQL;

    @Test
    void aNewClusterIsActiveEmptyAndIsolatedAndCloseDeletesIt() throws SQLException {
        try (DsqlClient client = TestClients.dsqlClient(dsql)) {
            DsqlCluster cluster = dsql.createCluster();
            try {
                assertThat(cluster.getIdentifier()).matches("[a-z0-9]{26}").isNotEqualTo(dsql.getClusterIdentifier());
                assertThat(cluster.getEndpoint()).isEqualTo(cluster.getIdentifier() + ".dsql.us-east-1.on.aws");
                assertThat(cluster.getArn()).endsWith(":cluster/" + cluster.getIdentifier());
                assertThat(client.getCluster(b -> b.identifier(cluster.getIdentifier()))
                                .status())
                        .isEqualTo(ClusterStatus.ACTIVE);
                assertThat(client.getCluster(b -> b.identifier(cluster.getIdentifier()))
                                .deletionProtectionEnabled())
                        .isFalse();

                try (Connection startup = TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken());
                        Statement s = startup.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS only_in_startup_cluster (id int PRIMARY KEY)");
                }
                try (Connection c = cluster.createConnection();
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery(
                                "SELECT to_regclass('public.only_in_startup_cluster') IS NULL, current_user")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBoolean(1))
                            .as("the new cluster is a database of its own")
                            .isTrue();
                    assertThat(rs.getString(2)).isEqualTo("admin");
                }
                assertThat(cluster.generateAuthToken("app")).startsWith(cluster.getEndpoint() + "/?Action=DbConnect&");
            } finally {
                cluster.close();
            }
            assertThatThrownBy(() -> client.getCluster(b -> b.identifier(cluster.getIdentifier())))
                    .isInstanceOf(ResourceNotFoundException.class);
            cluster.close(); // a second close does nothing
        }
    }
}
