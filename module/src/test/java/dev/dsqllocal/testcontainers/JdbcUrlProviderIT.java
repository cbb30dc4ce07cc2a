package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.jdbc.ConnectionUrl;
import org.testcontainers.jdbc.ContainerDatabaseDriver;

/** {@code jdbc:tc:dsql:} URLs start a DsqlContainer through Testcontainers' JDBC driver, without its traps. */
class JdbcUrlProviderIT {
    private static final String URL = "jdbc:tc:dsql:" + DsqlContainer.DEFAULT_TAG + ":///postgres";

    private static final String INIT_SCRIPT_URL = "jdbc:tc:dsql:///postgres?TC_INITSCRIPT=init-guests.sql";

    private static final String CUSTOM_ROLE_URL = "jdbc:tc:dsql:///postgres?user=app";

    @AfterAll
    static void stopContainers() {
        ContainerDatabaseDriver.killContainer(URL);
        ContainerDatabaseDriver.killContainer(INIT_SCRIPT_URL);
        ContainerDatabaseDriver.killContainer(CUSTOM_ROLE_URL);
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

    @Test
    void aPasswordIsRefusedAtOnceWithTheReason() {
        Instant start = Instant.now();
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:tc:dsql:///postgres?user=bob&password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("take no password")
                .hasMessageContaining("IAM auth token");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aDatabaseOtherThanPostgresIsRefusedAtOnce() {
        Instant start = Instant.now();
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:tc:dsql:///mydb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one database, 'postgres', not 'mydb'");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theInitScriptRunsAndTheReturnedConnectionsFirstQueryWorks() throws Exception {
        // The script's CREATE TABLE commits on another connection; DSQL fails sessions that were open then (OC001).
        try (Connection connection = DriverManager.getConnection(INIT_SCRIPT_URL);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT note FROM init_script_marker")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("written by withInitScript");
        }
    }

    @Test
    void theUrlsUserChoosesTheTokensAction() {
        DsqlContainerProvider provider = new DsqlContainerProvider();
        DsqlContainer app = (DsqlContainer) provider.newInstance(ConnectionUrl.newInstance(CUSTOM_ROLE_URL));
        DsqlContainer admin = (DsqlContainer) provider.newInstance(ConnectionUrl.newInstance(URL));

        assertThat(app.getUsername()).isEqualTo("app");
        assertThat(app.getPassword()).contains("/?Action=DbConnect&");
        assertThat(admin.getUsername()).isEqualTo("admin");
        assertThat(admin.getPassword()).contains("/?Action=DbConnectAdmin&");
    }

    @Test
    void theUrlsUserIsTheTokensRoleAndAnUnknownRoleIsRefusedQuickly() {
        // A DbConnect token for 'app' (not DbConnectAdmin): the emulator refuses it because no role 'app' is mapped,
        // at once, and the message says how to create it, instead of two minutes of retries.
        Instant start = Instant.now();
        assertThatThrownBy(() -> DriverManager.getConnection(CUSTOM_ROLE_URL))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("08006");
                    assertThat(e.getMessage())
                            .contains("refused a connection as 'app'")
                            .contains("access denied")
                            .contains("CREATE ROLE app WITH LOGIN")
                            .contains("AWS IAM GRANT app TO 'arn:aws:iam::000000000000:root'");
                });
        assertThat(Duration.between(start, Instant.now()))
                .as("container start included")
                .isLessThan(Duration.ofSeconds(40));
    }
}
