package dev.dsqllocal.samples.guestlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuestListServiceTest {
    private final AtomicInteger retries = new AtomicInteger();
    private final GuestListService service = new GuestListService(
            SampleDatabase.CONNECTIONS,
            OccRetry.defaults().withListener((attempt, conflict) -> retries.incrementAndGet()));

    @Test
    void invitesGuestsIntoGroupsAndRecordsTheirAnswers() throws Exception {
        UUID list = service.createGuestList("Ada's birthday");
        UUID family = service.addGroup(list, "family", 10);
        UUID ada = service.invite(family, "Ada", "ada@example.com");
        UUID bob = service.invite(family, "Bob", "bob@example.com");

        service.rsvp(ada, Rsvp.ATTENDING, 2);
        service.rsvp(bob, Rsvp.DECLINED, 0);

        assertThat(service.guestsOf(family))
                .extracting(Guest::name, Guest::response, Guest::plusOnes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Ada", Rsvp.ATTENDING, 2),
                        org.assertj.core.groups.Tuple.tuple("Bob", Rsvp.DECLINED, 0));
    }

    @Test
    void changingAnAnswerGivesSeatsBack() throws Exception {
        UUID list = service.createGuestList("Team dinner");
        UUID team = service.addGroup(list, "team", 3);
        UUID cy = service.invite(team, "Cy", "cy@example.com");
        UUID di = service.invite(team, "Di", "di@example.com");

        service.rsvp(cy, Rsvp.ATTENDING, 2);
        assertThatThrownBy(() -> service.rsvp(di, Rsvp.ATTENDING, 0))
                .isInstanceOf(GuestListException.class)
                .hasMessageContaining("no seats left for Di");

        service.rsvp(cy, Rsvp.ATTENDING, 0);
        service.rsvp(di, Rsvp.ATTENDING, 1);
        assertThat(service.summary(list).groups().get(0).seatsTaken()).isEqualTo(3);
    }

    @Test
    void refusesUnknownIdsAndBadAnswers() throws Exception {
        UUID list = service.createGuestList("Empty");
        assertThatThrownBy(() -> service.invite(UUID.randomUUID(), "Eve", "eve@example.com"))
                .isInstanceOf(GuestListException.class)
                .hasMessageStartingWith("no group");
        assertThatThrownBy(() -> service.rsvp(UUID.randomUUID(), Rsvp.ATTENDING, 0))
                .isInstanceOf(GuestListException.class)
                .hasMessageStartingWith("no guest");
        UUID group = service.addGroup(list, "g", 1);
        UUID eve = service.invite(group, "Eve", "eve@example.com");
        assertThatThrownBy(() -> service.rsvp(eve, Rsvp.DECLINED, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Many guests answer at once for a group with fewer seats than guests. Every answer writes the group's row, so
     * concurrent answers conflict (SQLSTATE 40001) and retry: no seat is given twice, and no answer is lost.
     */
    @Test
    void concurrentAnswersNeverOverbookAGroup() throws Exception {
        UUID list = service.createGuestList("Launch party");
        UUID group = service.addGroup(list, "press", 3);
        List<UUID> guests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            guests.add(service.invite(group, "Reporter " + i, "r" + i + "@example.com"));
        }

        ExecutorService pool = Executors.newFixedThreadPool(guests.size());
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (UUID guest : guests) {
                Callable<Boolean> answer = () -> {
                    try {
                        service.rsvp(guest, Rsvp.ATTENDING, 0);
                        return true;
                    } catch (GuestListException full) {
                        return false;
                    }
                };
                answers.add(pool.submit(answer));
            }
            int accepted = 0;
            for (Future<Boolean> answer : answers) {
                accepted += answer.get() ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }

        Summary summary = service.summary(list);
        assertThat(summary.attending()).isEqualTo(3);
        assertThat(summary.pending()).isEqualTo(3);
        assertThat(summary.groups().get(0).seatsTaken()).isEqualTo(3);
    }
}
