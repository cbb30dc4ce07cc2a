package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One of two classes sharing {@link SharedDsql}: each writes a row, and sees the rows of every sharing class that ran
 * before it, which only one shared container and cluster can give (with a container each, the class that runs second
 * would see its own row alone).
 */
class SharedSecondIT {

    @Test
    void seesWhatTheClassesBeforeItWrote() throws Exception {
        Set<String> expected = SharedDsql.visit("Second");

        try (Connection connection = TestClients.connect(
                        SharedDsql.DSQL.getJdbcUrl(), "admin", SharedDsql.DSQL.generateAuthToken());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS shared_visits (class_name text PRIMARY KEY)");
            statement.execute("INSERT INTO shared_visits VALUES ('Second') ON CONFLICT DO NOTHING");
            Set<String> seen = new HashSet<>();
            try (ResultSet rs = statement.executeQuery("SELECT class_name FROM shared_visits")) {
                while (rs.next()) {
                    seen.add(rs.getString(1));
                }
            }
            assertThat(seen).as("rows written by the classes that ran so far").isEqualTo(expected);
        }
    }
}
