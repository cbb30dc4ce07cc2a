package dev.dsqllocal.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.testcontainers.DsqlContainer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;
import software.amazon.awssdk.services.dsql.model.GetClusterResponse;

@Testcontainers
class ReadmeFirstTest {
    @Container
    static DsqlContainer dsql = new DsqlContainer();

    @Test
    void clusterIsActiveAndAnswersSql() throws Exception {
        try (DsqlClient client = DsqlClient.builder()
                .endpointOverride(dsql.getEndpoint())
                .region(Region.of(dsql.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(dsql.getAccessKey(), dsql.getSecretKey())))
                .build()) {
            GetClusterResponse cluster = client.getCluster(b -> b.identifier(dsql.getClusterIdentifier()));
            assertThat(cluster.status()).isEqualTo(ClusterStatus.ACTIVE);
        }
        Properties props = new Properties();
        props.setProperty("user", "admin");
        props.setProperty("password", dsql.generateAuthToken()); // IAM token for <id>.dsql.<region>.on.aws
        try (Connection c = DriverManager.getConnection(dsql.getJdbcUrl(), props);
                ResultSet rs = c.createStatement().executeQuery("SELECT current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("admin");
        }
    }
}
