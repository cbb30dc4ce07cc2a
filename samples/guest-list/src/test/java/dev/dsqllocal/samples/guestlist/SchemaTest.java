package dev.dsqllocal.samples.guestlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {

    @Test
    void indexesAreBuiltAsynchronouslyAndAwaited() throws Exception {
        try (Connection c = SampleDatabase.CONNECTIONS.open();
                Statement s = c.createStatement()) {
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(
                    "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%\\_by\\_%'" + " ORDER BY indexname")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
            assertThat(indexes).containsExactly("guest_by_group", "guest_group_by_list");

            try (ResultSet rs = s.executeQuery("SELECT DISTINCT status FROM sys.jobs WHERE job_type = 'INDEX_BUILD'"
                    + " AND object_name IN ('public.guest_by_group', 'public.guest_group_by_list')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("completed");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void applyingTheSchemaAgainChangesNothing() throws Exception {
        Schema.apply(SampleDatabase.CONNECTIONS);
    }
}
