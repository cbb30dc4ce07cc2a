package dev.dsqllocal.samples.guestlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry helper against real optimistic-concurrency conflicts, produced in a fixed order. */
class OccRetryTest {
    private final ConnectionFactory connections = SampleDatabase.CONNECTIONS;

    @Test
    void runsTheTransactionAgainAfterAConflict() throws Exception {
        UUID group = newGroup();
        List<String> conflicts = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        OccRetry retry = OccRetry.defaults().withListener((attempt, e) -> conflicts.add(e.getSQLState()));

        int result = retry.inTransaction(connections, c -> {
            int attempt = attempts.incrementAndGet();
            int seen = seatsTaken(c, group); // this transaction's snapshot starts here
            if (attempt == 1) {
                // Another client writes the same row and commits first.
                try (Connection other = connections.open()) {
                    addSeat(other, group);
                }
            }
            addSeat(c, group); // attempt 1 loses (40001 here, or OC000 at COMMIT on Aurora DSQL)
            return seen;
        });

        assertThat(attempts).hasValue(2);
        assertThat(conflicts).hasSize(1).allMatch(state -> state.equals("40001") || state.startsWith("OC00"));
        assertThat(result)
                .as("the second attempt read the other client's write")
                .isEqualTo(1);
        try (Connection c = connections.open()) {
            assertThat(seatsTaken(c, group)).isEqualTo(2);
        }
    }

    @Test
    void givesUpAfterTheLastAttempt() throws Exception {
        UUID group = newGroup();
        OccRetry twice = new OccRetry(2, Duration.ofMillis(1), Duration.ofMillis(5), (attempt, e) -> {});
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> twice.inTransaction(connections, c -> {
                    attempts.incrementAndGet();
                    seatsTaken(c, group);
                    try (Connection other = connections.open()) {
                        addSeat(other, group);
                    }
                    addSeat(c, group);
                    return null;
                }))
                .isInstanceOf(SQLException.class)
                .matches(e -> OccRetry.isConflict((SQLException) e));
        assertThat(attempts).hasValue(2);
    }

    @Test
    void otherErrorsAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> OccRetry.defaults().inTransaction(connections, c -> {
                    attempts.incrementAndGet();
                    try (PreparedStatement bad = c.prepareStatement("SELECT * FROM no_such_table")) {
                        return bad.executeQuery();
                    }
                }))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no_such_table");
        assertThat(attempts).hasValue(1);
    }

    private UUID newGroup() throws SQLException {
        GuestListService service = new GuestListService(connections, OccRetry.defaults());
        return service.addGroup(service.createGuestList("retry test"), "g", 100);
    }

    private static int seatsTaken(Connection c, UUID group) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT seats_taken FROM guest_group WHERE id = ?")) {
            query.setObject(1, group);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void addSeat(Connection c, UUID group) throws SQLException {
        try (PreparedStatement update =
                c.prepareStatement("UPDATE guest_group SET seats_taken = seats_taken + 1 WHERE id = ?")) {
            update.setObject(1, group);
            update.executeUpdate();
        }
    }
}
