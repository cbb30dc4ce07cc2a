package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;

/**
 * {@link DsqlClusterExtension}: each test creates the same table in a cluster of its own, and every cluster is gone
 * after its test (or class).
 */
class DsqlClusterExtensionIT {

    private static final DsqlContainer dsql = SharedDsql.DSQL;

    private static final List<String> perTestClusters = new CopyOnWriteArrayList<>();

    private static final List<String> perClassClusters = new CopyOnWriteArrayList<>();

    @AfterAll
    static void everyClusterWasDeleted() {
        assertThat(perTestClusters).hasSize(2).doesNotHaveDuplicates();
        assertThat(perClassClusters).hasSize(2).containsOnly(perClassClusters.get(0));
        try (DsqlClient client = TestClients.dsqlClient(dsql)) {
            for (String id : List.of(perTestClusters.get(0), perTestClusters.get(1), perClassClusters.get(0))) {
                assertThat(exists(client, id)).as("cluster %s deleted", id).isFalse();
            }
        }
    }

    @Nested
    class ClusterPerTestMethod {
        @RegisterExtension
        static final DsqlClusterExtension clusters = DsqlClusterExtension.perTest(dsql);

        @BeforeEach
        void createTheSchema(DsqlCluster cluster) throws SQLException {
            try (Connection c = cluster.createConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
            }
        }

        @Test
        void first(DsqlCluster cluster) throws SQLException {
            usesAnEmptyTable(cluster, perTestClusters);
        }

        @Test
        void second(DsqlCluster cluster) throws SQLException {
            usesAnEmptyTable(cluster, perTestClusters);
        }
    }

    @Nested
    class ClusterPerTestClass {
        @RegisterExtension
        static final DsqlClusterExtension clusters = DsqlClusterExtension.perClass(dsql);

        @Test
        void first(DsqlCluster cluster) {
            perClassClusters.add(cluster.getIdentifier());
        }

        @Test
        void second(DsqlCluster cluster) {
            perClassClusters.add(cluster.getIdentifier());
        }
    }

    private static void usesAnEmptyTable(DsqlCluster cluster, List<String> seen) throws SQLException {
        seen.add(cluster.getIdentifier());
        try (Connection c = cluster.createConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("rows another test wrote").isZero();
            }
            s.executeUpdate("INSERT INTO orders VALUES (1, 'left behind on purpose')");
        }
    }

    private static boolean exists(DsqlClient client, String id) {
        try {
            client.getCluster(b -> b.identifier(id));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }
}
