package dev.dsqllocal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits PostgreSQL enforces itself are read at the server's dialect epoch: one template holds every dated
 * limit entry ({@code sys.dsql_local_limits}), and a server started for an earlier epoch enforces that epoch's
 * value. The dated entry is added here by hand, as a table with that entry would write it.
 */
class DialectEpochInDatabaseTest {

    @TempDir
    Path root;

    private final List<PostgresFleet> fleets = new ArrayList<>();

    @BeforeAll
    static void buildTemplateOnce() throws IOException {
        PostgresInstallation.prepare(PostgresFleetIT.cache, Optional.empty());
    }

    @AfterEach
    void closeFleets() {
        fleets.forEach(PostgresFleet::close);
    }

    private DatabaseEndpoint cluster(String dialectSetting) throws IOException, SQLException {
        if (ServerUser.current().dropsPrivileges()) {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        PostgresFleet fleet = new PostgresFleet(
                root.resolve("clusters-" + dialectSetting),
                PostgresFleetIT.cache,
                Optional.empty(),
                false,
                0,
                dialectSetting);
        fleets.add(fleet);
        DatabaseEndpoint endpoint = fleet.provision("c1");
        try (Connection c = connect(endpoint, InternalRoles.SUPERUSER);
                Statement s = c.createStatement()) {
            // What the rule table writes for a limit dated "5 rows until 2026-09-01, then the current value".
            s.execute("UPDATE sys.dsql_local_limits SET since = DATE '2026-09-01' "
                    + "WHERE name = 'max_rows_per_transaction'");
            s.execute("INSERT INTO sys.dsql_local_limits VALUES ('max_rows_per_transaction', NULL, "
                    + "DATE '2026-09-01', 5)");
        }
        return endpoint;
    }

    private static Connection connect(DatabaseEndpoint endpoint, String user) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/postgres", user, "");
    }

    private static long limit(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT sys.dsql_local_limit('max_rows_per_transaction')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aServerAtAnEarlierEpochEnforcesThatEpochsRowLimit() throws Exception {
        try (Connection c = connect(cluster("2026-08-15"), InternalRoles.ADMIN);
                Statement s = c.createStatement()) {
            assertThat(limit(s)).isEqualTo(5);
            s.execute("CREATE TABLE items (id int PRIMARY KEY)");
            s.execute("INSERT INTO items SELECT generate_series(1, 5)");
            SQLException e = catchThrowableOfType(
                    SQLException.class, () -> s.execute("INSERT INTO items SELECT generate_series(6, 11)"));
            assertThat((Object) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("54000");
            assertThat(e.getMessage()).startsWith("ERROR: transaction row limit exceeded");
        }
    }

    @Test
    void theLatestEpochKeepsTheCurrentLimit() throws Exception {
        try (Connection c = connect(cluster("latest"), InternalRoles.ADMIN);
                Statement s = c.createStatement()) {
            assertThat(limit(s)).isEqualTo(3000);
            s.execute("CREATE TABLE items (id int PRIMARY KEY)");
            s.execute("INSERT INTO items SELECT generate_series(1, 3000)");
            SQLException e = catchThrowableOfType(
                    SQLException.class, () -> s.execute("INSERT INTO items SELECT generate_series(3001, 6001)"));
            assertThat(e.getSQLState()).isEqualTo("54000");
        }
    }
}
