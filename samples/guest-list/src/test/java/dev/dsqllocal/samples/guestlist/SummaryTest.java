package dev.dsqllocal.samples.guestlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private final GuestListService service = new GuestListService(SampleDatabase.CONNECTIONS, OccRetry.defaults());

    @Test
    void summarisesAnswersHeadcountAndSeatsPerGroup() throws Exception {
        UUID list = service.createGuestList("Wedding");
        UUID family = service.addGroup(list, "family", 8);
        UUID friends = service.addGroup(list, "friends", 4);
        service.rsvp(service.invite(family, "Gran", "gran@example.com"), Rsvp.ATTENDING, 1);
        service.rsvp(service.invite(family, "Uncle", "uncle@example.com"), Rsvp.DECLINED, 0);
        service.invite(family, "Cousin", "cousin@example.com");
        service.rsvp(service.invite(friends, "Sam", "sam@example.com"), Rsvp.ATTENDING, 2);

        Summary summary = service.summary(list);

        assertThat(summary.title()).isEqualTo("Wedding");
        assertThat(summary.invited()).isEqualTo(4);
        assertThat(summary.attending()).isEqualTo(2);
        assertThat(summary.declined()).isEqualTo(1);
        assertThat(summary.pending()).isEqualTo(1);
        assertThat(summary.headcount()).isEqualTo(5);
        assertThat(summary.groups())
                .containsExactly(
                        new Summary.GroupSummary("family", 8, 2, 1, 1, 1),
                        new Summary.GroupSummary("friends", 4, 3, 1, 0, 0));
    }

    @Test
    void anEmptyListHasAnEmptySummary() throws Exception {
        UUID list = service.createGuestList("Nobody yet");
        assertThat(service.summary(list)).isEqualTo(new Summary("Nobody yet", 0, 0, 0, 0, 0, java.util.List.of()));
        assertThatThrownBy(() -> service.summary(UUID.randomUUID())).isInstanceOf(GuestListException.class);
    }
}
