package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.jdbc.ContainerDatabaseDriver;

/** {@code jdbc:tc:dsql:} URLs start a DsqlContainer through Testcontainers' JDBC driver. */
class JdbcUrlProviderTest {
    private static final String URL = "jdbc:tc:dsql:" + DsqlContainer.DEFAULT_TAG + ":///postgres";

    @AfterAll
    static void stopContainer() {
        ContainerDatabaseDriver.killContainer(URL);
    }

    @Test
    void startsAContainerFromAJdbcUrl() throws Exception {
        try (Connection connection = DriverManager.getConnection(URL);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("admin");
        }
    }
}
