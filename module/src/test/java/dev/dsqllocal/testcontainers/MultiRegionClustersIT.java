package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;

/** {@link DsqlContainer#createMultiRegionClusters}: two peered clusters in two Regions, one database. */
class MultiRegionClustersIT {
    private static final DsqlContainer dsql = SharedDsql.DSQL;

    @Test
    void aRowWrittenThroughUsEast1IsReadThroughUsEast2() throws SQLException {
        List<DsqlCluster> pair = dsql.createMultiRegionClusters("us-east-2", "us-west-2");
        DsqlCluster east1 = pair.get(0);
        DsqlCluster east2 = pair.get(1);
        try (DsqlClient ohio = DsqlClient.builder()
                .endpointOverride(dsql.getEndpoint())
                .region(Region.US_EAST_2)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(dsql.getAccessKey(), dsql.getSecretKey())))
                .build()) {
            try {
                assertThat(east1.getRegion()).isEqualTo("us-east-1");
                assertThat(east2.getEndpoint()).isEqualTo(east2.getIdentifier() + ".dsql.us-east-2.on.aws");
                assertThat(east2.getArn()).startsWith("arn:aws:dsql:us-east-2:");
                assertThat(east2.generateAuthToken()).contains("%2Fus-east-2%2Fdsql%2Faws4_request");
                assertThat(ohio.getCluster(b -> b.identifier(east2.getIdentifier()))
                                .multiRegionProperties()
                                .clusters())
                        .containsExactly(east2.getArn(), east1.getArn());

                try (Connection c = east1.createConnection();
                        Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE guests (id int PRIMARY KEY, name text)");
                    s.execute("INSERT INTO guests VALUES (1, 'Ada')");
                }
                try (Connection c = east2.createConnection();
                        ResultSet rs = c.createStatement().executeQuery("SELECT name FROM guests WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("Ada");
                }
            } finally {
                east1.close(); // PENDING_DELETE until its peer goes too
                assertThat(ohio.getCluster(b -> b.identifier(east2.getIdentifier()))
                                .status())
                        .isEqualTo(ClusterStatus.ACTIVE);
                east2.close();
            }
            assertThatThrownBy(() -> ohio.getCluster(b -> b.identifier(east2.getIdentifier())))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }
}
