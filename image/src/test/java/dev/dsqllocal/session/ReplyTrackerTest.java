package dev.dsqllocal.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.BackendMessage.Bodiless;
import dev.dsqllocal.pgwire.BackendMessage.CommandComplete;
import dev.dsqllocal.pgwire.BackendMessage.ErrorResponse;
import dev.dsqllocal.pgwire.BackendMessage.NoticeResponse;
import dev.dsqllocal.pgwire.BackendMessage.Opaque;
import dev.dsqllocal.pgwire.BackendMessage.ReadyForQuery;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.pgwire.FrontendMessage.Bind;
import dev.dsqllocal.pgwire.FrontendMessage.Execute;
import dev.dsqllocal.pgwire.FrontendMessage.Parse;
import dev.dsqllocal.pgwire.FrontendMessage.Query;
import dev.dsqllocal.pgwire.FrontendMessage.Sync;
import dev.dsqllocal.sql.StatementInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The session's one queue of expected answers: each reply the policies get already says which client statement it
 * answers, whether a policy added the statement, and what PostgreSQL skipped after an error.
 */
class ReplyTrackerTest {
    private final RequestReader reader = new RequestReader(sql -> sql);
    private final ReplyTracker tracker = new ReplyTracker();
    /** Stands for a policy that replaces requests (only its identity matters here). */
    private final SessionPolicy policy = new SessionPolicy() {};

    private ClientRequest send(FrontendMessage message) {
        ClientRequest request = reader.read(message);
        return request;
    }

    private ServerReply reply(BackendMessage message) {
        ServerReply reply = new ServerReply(message);
        tracker.track(reply);
        return reply;
    }

    private static String command(ServerReply reply) {
        return reply.statement().map(StatementInfo::command).orElse(null);
    }

    private static ErrorResponse error() {
        return ErrorResponse.of("ERROR", "42P01", "relation does not exist", null, null);
    }

    @Test
    void eachCompletionOfAQueryAnswersItsStatementInOrder() {
        tracker.sent(send(new Query("BEGIN; INSERT INTO t VALUES (1); COMMIT")));
        assertThat(tracker.statementsInFlight())
                .extracting(StatementInfo::command)
                .containsExactly("BEGIN", "INSERT", "COMMIT");

        assertThat(command(reply(new CommandComplete("BEGIN")))).isEqualTo("BEGIN");
        ServerReply row = reply(new Opaque(BackendMessage.NOTICE_RESPONSE));
        assertThat(command(row)).as("messages inside an answer belong to it").isEqualTo("INSERT");
        assertThat(row.answersStatement()).isFalse();
        ServerReply insert = reply(new CommandComplete("INSERT 0 1"));
        assertThat(command(insert)).isEqualTo("INSERT");
        assertThat(insert.answersStatement()).isTrue();
        assertThat(command(reply(new CommandComplete("COMMIT")))).isEqualTo("COMMIT");
        assertThat(tracker.awaitingReplies())
                .as("the ReadyForQuery is still owed")
                .isTrue();
        reply(new ReadyForQuery('I'));
        assertThat(tracker.awaitingReplies()).isFalse();
    }

    @Test
    void afterAnErrorTheRestOfTheQueryIsSkippedUpToItsReadyForQuery() {
        tracker.sent(send(new Query("SELECT * FROM missing; INSERT INTO t VALUES (1)")));
        tracker.sent(send(new Query("SELECT 2")));
        ServerReply failed = reply(error());
        assertThat(failed.answersStatement()).isTrue();
        assertThat(command(failed)).isEqualTo("SELECT");
        assertThat(tracker.statementsInFlight())
                .extracting(StatementInfo::command)
                .containsExactly("SELECT");
        reply(new ReadyForQuery('I'));
        assertThat(command(reply(new CommandComplete("SELECT 1"))))
                .as("the next Query's answer is its own")
                .isEqualTo("SELECT");
        reply(new ReadyForQuery('I'));
        assertThat(tracker.awaitingReplies()).isFalse();
    }

    @Test
    void anExtendedRequestIsSkippedUpToSyncAfterAnError() {
        tracker.sent(send(new Parse("", "UPDATE t SET v = 1", new int[0])));
        tracker.sent(send(Bind.UNNAMED));
        tracker.sent(send(new Execute("", 0)));
        tracker.sent(send(Sync.INSTANCE));
        tracker.sent(send(new Parse("", "DELETE FROM t", new int[0])));
        tracker.sent(send(Bind.UNNAMED));
        tracker.sent(send(new Execute("", 0)));
        tracker.sent(send(Sync.INSTANCE));

        ServerReply parsed = reply(new Bodiless(BackendMessage.PARSE_COMPLETE));
        assertThat(command(parsed)).isEqualTo("UPDATE");
        assertThat(parsed.answersStatement())
                .as("a ParseComplete completes no statement")
                .isFalse();
        ServerReply failed = reply(error());
        assertThat(failed.answersStatement())
                .as("the Bind failed, not a statement")
                .isFalse();
        ServerReply ready = reply(new ReadyForQuery('I'));
        assertThat(ready.statement()).isEmpty();

        reply(new Bodiless(BackendMessage.PARSE_COMPLETE));
        reply(new Bodiless(BackendMessage.BIND_COMPLETE));
        assertThat(command(reply(new CommandComplete("DELETE 3")))).isEqualTo("DELETE");
        reply(new ReadyForQuery('I'));
        assertThat(tracker.awaitingReplies()).isFalse();
    }

    @Test
    void aPolicysOwnStatementsInAClientsQueryAreMarkedAsItsOwn() {
        ClientRequest commit = send(new Query("COMMIT"));
        StatementInfo info = commit.statement().orElseThrow();
        commit.replaceWithQuery(
                policy, List.of(ClientRequest.Part.own("ROLLBACK", info), ClientRequest.Part.client("SELECT 1", info)));
        tracker.sent(commit);
        assertThat(commit.replacement()).containsExactly(new Query("ROLLBACK;\nSELECT 1"));

        ServerReply rollback = reply(new CommandComplete("ROLLBACK"));
        assertThat(rollback.answersOwnOf(policy)).isTrue();
        assertThat(rollback.answersInjectedBy(policy))
                .as("in the client's place, not on its own")
                .isFalse();
        assertThat(command(rollback)).isEqualTo("COMMIT");
        ServerReply refusal = reply(new CommandComplete("SELECT 1"));
        assertThat(refusal.answersOwnOf(policy)).isFalse();
        assertThat(command(refusal)).isEqualTo("COMMIT");
        ServerReply ready = reply(new ReadyForQuery('I'));
        assertThat(ready.answersOwnOf(policy))
                .as("the client waits for its ReadyForQuery")
                .isFalse();
    }

    @Test
    void aRequestReplacedByAPolicysOwnMessagesAnswersTheClientOnlyWithItsError() {
        ClientRequest execute = send(new Execute("", 0));
        execute.replaceWithOwn(
                policy,
                new Parse("", "ROLLBACK", new int[0]),
                Bind.UNNAMED,
                new Execute("", 0),
                new Parse("", "DO $$BEGIN RAISE EXCEPTION 'x'; END$$", new int[0]));
        tracker.sent(execute);
        tracker.sent(send(Sync.INSTANCE));

        assertThat(reply(new Bodiless(BackendMessage.PARSE_COMPLETE)).answersOwnOf(policy))
                .isTrue();
        assertThat(reply(new Bodiless(BackendMessage.BIND_COMPLETE)).answersOwnOf(policy))
                .isTrue();
        assertThat(reply(new CommandComplete("ROLLBACK")).answersOwnOf(policy)).isTrue();
        assertThat(reply(error()).answersOwnOf(policy)).isTrue();
        assertThat(reply(new ReadyForQuery('I')).answersOwnOf(policy)).isFalse();
        assertThat(tracker.awaitingReplies()).isFalse();
    }

    @Test
    void aQueryAPolicySendsOnItsOwnIsAnsweredToThatPolicyOnly() {
        tracker.sent(send(new Query("SELECT 1")));
        reply(new CommandComplete("SELECT 1"));
        reply(new ReadyForQuery('T'));
        tracker.sentOwn(policy, new Query("ROLLBACK"));
        assertThat(tracker.awaitingReplies()).isTrue();
        assertThat(tracker.statementsInFlight())
                .as("no client statement is in flight")
                .isEmpty();

        ServerReply warning = reply(new NoticeResponse(Map.of('C', "25P01", 'M', "no transaction")));
        assertThat(warning.answersInjectedBy(policy)).isTrue();
        assertThat(reply(new CommandComplete("ROLLBACK")).answersInjectedBy(policy))
                .isTrue();
        assertThat(reply(new ReadyForQuery('I')).answersInjectedBy(policy)).isTrue();
        assertThat(tracker.awaitingReplies()).isFalse();
    }

    @Test
    void aDroppedRequestIsOwedNothing() {
        ClientRequest request = send(new Query("SELECT 1"));
        request.drop();
        tracker.sent(request);
        assertThat(tracker.awaitingReplies()).isFalse();
        assertThat(reply(new CommandComplete("SELECT 1")).answersStatement())
                .as("an answer nobody waits for answers nothing")
                .isFalse();
    }
}
