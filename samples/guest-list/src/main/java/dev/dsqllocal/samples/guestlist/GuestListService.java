package dev.dsqllocal.samples.guestlist;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Guest lists with groups (e.g. "family", "colleagues"), each with a number of seats; guests answer an invitation
 * with an RSVP and bring plus-ones. Every operation is one transaction run through {@link OccRetry}, because on
 * Aurora DSQL any transaction may lose an optimistic-concurrency conflict and must then simply run again.
 */
public final class GuestListService {
    private final ConnectionFactory connections;
    private final OccRetry retry;

    public GuestListService(ConnectionFactory connections, OccRetry retry) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    public UUID createGuestList(String title) throws SQLException {
        return retry.inTransaction(
                connections,
                c -> insertReturningId(c, "INSERT INTO guest_list (title) VALUES (?) RETURNING id", title));
    }

    public UUID addGroup(UUID guestListId, String name, int maxSeats) throws SQLException {
        if (maxSeats < 1) {
            throw new IllegalArgumentException("a group needs at least one seat");
        }
        return retry.inTransaction(connections, c -> {
            requireExists(c, "SELECT 1 FROM guest_list WHERE id = ?", guestListId, "guest list");
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO guest_group (guest_list_id, name, max_seats) VALUES (?, ?, ?) RETURNING id")) {
                insert.setObject(1, guestListId);
                insert.setString(2, name);
                insert.setInt(3, maxSeats);
                return singleId(insert);
            }
        });
    }

    public UUID invite(UUID groupId, String name, String email) throws SQLException {
        return retry.inTransaction(connections, c -> {
            requireExists(c, "SELECT 1 FROM guest_group WHERE id = ?", groupId, "group");
            try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO guest (group_id, name, email) VALUES (?, ?, ?) RETURNING id")) {
                insert.setObject(1, groupId);
                insert.setString(2, name);
                insert.setString(3, email);
                return singleId(insert);
            }
        });
    }

    /**
     * Records a guest's answer. Attending takes 1 + plusOnes seats of the guest's group (giving back what an earlier
     * answer took); when the group has too few seats left the answer is refused and nothing changes.
     */
    public void rsvp(UUID guestId, Rsvp response, int plusOnes) throws SQLException {
        if (response == Rsvp.PENDING) {
            throw new IllegalArgumentException("an answer is ATTENDING or DECLINED");
        }
        if (plusOnes < 0 || plusOnes > 5 || (response == Rsvp.DECLINED && plusOnes > 0)) {
            throw new IllegalArgumentException("plus-ones are 0 to 5, and 0 when declining");
        }
        retry.inTransaction(connections, c -> {
            Guest guest = guest(c, guestId);
            int before = guest.response() == Rsvp.ATTENDING ? 1 + guest.plusOnes() : 0;
            int after = response == Rsvp.ATTENDING ? 1 + plusOnes : 0;
            int[] seats = seats(c, guest.groupId());
            if (seats[1] - before + after > seats[0]) {
                throw new GuestListException("no seats left for " + guest.name() + ": " + (seats[0] - seats[1]) + " of "
                        + seats[0] + " free");
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE guest SET response = ?, plus_ones = ?, responded_at = now() WHERE id = ?")) {
                update.setString(1, response.name());
                update.setInt(2, plusOnes);
                update.setObject(3, guestId);
                update.executeUpdate();
            }
            // Written on every answer in the group, so concurrent answers conflict here and one of them retries.
            try (PreparedStatement update =
                    c.prepareStatement("UPDATE guest_group SET seats_taken = seats_taken + ? WHERE id = ?")) {
                update.setInt(1, after - before);
                update.setObject(2, guest.groupId());
                update.executeUpdate();
            }
            return null;
        });
    }

    public List<Guest> guestsOf(UUID groupId) throws SQLException {
        return retry.inTransaction(connections, c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT id, group_id, name, email, response, plus_ones FROM guest WHERE group_id = ? ORDER BY name")) {
                query.setObject(1, groupId);
                List<Guest> guests = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        guests.add(guest(rs));
                    }
                }
                return guests;
            }
        });
    }

    /** The organiser's summary of one guest list, read in one consistent snapshot. */
    public Summary summary(UUID guestListId) throws SQLException {
        return retry.inTransaction(connections, c -> {
            String title;
            try (PreparedStatement query = c.prepareStatement("SELECT title FROM guest_list WHERE id = ?")) {
                query.setObject(1, guestListId);
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        throw new GuestListException("no guest list " + guestListId);
                    }
                    title = rs.getString(1);
                }
            }
            List<Summary.GroupSummary> groups = new ArrayList<>();
            int attending = 0;
            int declined = 0;
            int pending = 0;
            int headcount = 0;
            try (PreparedStatement query = c.prepareStatement("SELECT g.name, g.max_seats, g.seats_taken,"
                    + " count(*) FILTER (WHERE u.response = 'ATTENDING'),"
                    + " count(*) FILTER (WHERE u.response = 'DECLINED'),"
                    + " count(*) FILTER (WHERE u.response = 'PENDING'),"
                    + " coalesce(sum(1 + u.plus_ones) FILTER (WHERE u.response = 'ATTENDING'), 0)"
                    + " FROM guest_group g LEFT JOIN guest u ON u.group_id = g.id"
                    + " WHERE g.guest_list_id = ? GROUP BY g.id, g.name, g.max_seats, g.seats_taken ORDER BY g.name")) {
                query.setObject(1, guestListId);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        Summary.GroupSummary group = new Summary.GroupSummary(
                                rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6));
                        groups.add(group);
                        attending += group.attending();
                        declined += group.declined();
                        pending += group.pending();
                        headcount += rs.getInt(7);
                    }
                }
            }
            return new Summary(
                    title,
                    attending + declined + pending,
                    attending,
                    declined,
                    pending,
                    headcount,
                    List.copyOf(groups));
        });
    }

    private static Guest guest(Connection c, UUID guestId) throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement("SELECT id, group_id, name, email, response, plus_ones FROM guest WHERE id = ?")) {
            query.setObject(1, guestId);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new GuestListException("no guest " + guestId);
                }
                return guest(rs);
            }
        }
    }

    private static Guest guest(ResultSet rs) throws SQLException {
        return new Guest(
                rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class),
                rs.getString(3),
                rs.getString(4),
                Rsvp.valueOf(rs.getString(5)),
                rs.getInt(6));
    }

    /** {max_seats, seats_taken} of a group. */
    private static int[] seats(Connection c, UUID groupId) throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement("SELECT max_seats, seats_taken FROM guest_group WHERE id = ?")) {
            query.setObject(1, groupId);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new GuestListException("no group " + groupId);
                }
                return new int[] {rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    private static void requireExists(Connection c, String sql, UUID id, String what) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            query.setObject(1, id);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new GuestListException("no " + what + " " + id);
                }
            }
        }
    }

    private static UUID insertReturningId(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            insert.setString(1, value);
            return singleId(insert);
        }
    }

    private static UUID singleId(PreparedStatement insert) throws SQLException {
        try (ResultSet rs = insert.executeQuery()) {
            rs.next();
            return rs.getObject(1, UUID.class);
        }
    }
}
