package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** One of two classes sharing {@link SharedDsql}; each writes a row and sees only one container. */
class SharedSecondTest {

    @Test
    void usesTheSharedContainer() throws Exception {
        DsqlContainer dsql = SharedDsql.DSQL;
        SharedDsql.SEEN_CONTAINER_IDS.add(dsql.getContainerId());
        assertThat(SharedDsql.SEEN_CONTAINER_IDS).hasSize(1);

        try (Connection connection = TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS shared_visits (class_name text PRIMARY KEY)");
            statement.execute("INSERT INTO shared_visits VALUES ('Second') ON CONFLICT DO NOTHING");
            try (ResultSet rs =
                    statement.executeQuery("SELECT count(*) FROM shared_visits WHERE class_name = 'Second'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
