package dev.dsqllocal.samples.guestlist;

import java.util.List;

/** The organiser's view of a guest list: answers so far, heads to feed, and how full each group is. */
public record Summary(
        String title, int invited, int attending, int declined, int pending, int headcount, List<GroupSummary> groups) {

    /** One group: its seats, and its guests by answer. */
    public record GroupSummary(String name, int maxSeats, int seatsTaken, int attending, int declined, int pending) {}
}
