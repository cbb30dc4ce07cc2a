package dev.dsqllocal.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.pgwire.FrontendMessage.Bind;
import dev.dsqllocal.pgwire.FrontendMessage.Close;
import dev.dsqllocal.pgwire.FrontendMessage.Execute;
import dev.dsqllocal.pgwire.FrontendMessage.Parse;
import dev.dsqllocal.pgwire.FrontendMessage.Query;
import dev.dsqllocal.pgwire.FrontendMessage.Sync;
import dev.dsqllocal.sql.StatementKind;
import org.junit.jupiter.api.Test;

/** The session's one reading of client messages: SQL classified once, statements and portals tracked once. */
class RequestReaderTest {
    private final RequestReader reader = new RequestReader(sql -> sql.replace("secret_", "hidden_"));

    private static Bind bind(String portal, String statement) {
        return new Bind(portal, statement, new short[0], new byte[0][], new short[0]);
    }

    @Test
    void aQueryIsSplitAndClassifiedOnTheTextThatRuns() {
        ClientRequest request = reader.read(new Query("BEGIN; INSERT INTO secret_t VALUES (1); COMMIT"));
        assertThat(request.statements())
                .extracting(i -> i.kind())
                .containsExactly(
                        StatementKind.TRANSACTION_CONTROL, StatementKind.DML, StatementKind.TRANSACTION_CONTROL);
        assertThat(request.sqlChanged()).isTrue();
        assertThat(request.statements().get(1).statement().text().trim()).isEqualTo("INSERT INTO hidden_t VALUES (1)");
        assertThat(request.messageToRun()).isEqualTo(new Query("BEGIN; INSERT INTO hidden_t VALUES (1); COMMIT"));
        ClientRequest plain = reader.read(new Query("SELECT 1"));
        assertThat(plain.sqlChanged()).isFalse();
        assertThat(plain.forwarded()).isTrue();
    }

    @Test
    void bindAndExecuteSeeTheStatementTheirPortalWasBoundTo() {
        reader.read(new Parse("s1", "UPDATE t SET v = $1", new int[0]));
        reader.read(new Parse("s2", "SELECT 1", new int[0]));
        assertThat(reader.read(bind("p", "s1")).statement())
                .hasValueSatisfying(i -> assertThat(i.command()).isEqualTo("UPDATE"));
        assertThat(reader.read(new Execute("p", 0)).statement())
                .hasValueSatisfying(i -> assertThat(i.command()).isEqualTo("UPDATE"));
        assertThat(reader.read(bind("", "s2")).statement())
                .hasValueSatisfying(i -> assertThat(i.command()).isEqualTo("SELECT"));
        assertThat(reader.read(new Execute("p", 0)).statement().get().command())
                .as("portals are kept apart")
                .isEqualTo("UPDATE");

        reader.read(new Close('P', "p"));
        assertThat(reader.read(new Execute("p", 0)).statements())
                .as("closed portal")
                .isEmpty();
        reader.read(new Close('S', "s1"));
        assertThat(reader.read(bind("p", "s1")).statements())
                .as("closed statement")
                .isEmpty();
        assertThat(reader.read(new Execute("p", 0)).statements()).isEmpty();
        assertThat(reader.read(Sync.INSTANCE).statements()).isEmpty();
    }

    @Test
    void aParseWithSeveralStatementsIsNotASingleStatement() {
        ClientRequest several = reader.read(new Parse("", "SELECT 1; SELECT 2", new int[0]));
        assertThat(several.singleStatement()).isFalse();
        assertThat(several.statement().get().kind()).isEqualTo(StatementKind.UNKNOWN);
        assertThat(reader.read(new Parse("", "SELECT 1", new int[0])).singleStatement())
                .isTrue();
        ClientRequest hidden = reader.read(new Parse("x", "SELECT * FROM secret_t", new int[] {23}));
        assertThat(hidden.messageToRun()).isInstanceOfSatisfying(Parse.class, p -> {
            assertThat(p.sql()).isEqualTo("SELECT * FROM hidden_t");
            assertThat(p.name()).isEqualTo("x");
            assertThat(p.parameterTypes()).containsExactly(23);
        });
    }

    @Test
    void aPolicysReplacementStopsTheChainAndADroppedReplyGoesNoFurther() {
        SessionPolicy replacing = new SessionPolicy() {
            @Override
            public void onClient(Session session, ClientRequest request) {
                request.replaceWith(new Query("SELECT 2"));
            }

            @Override
            public void onServer(Session session, ServerReply reply) {
                reply.drop();
            }
        };
        int[] seen = new int[2];
        SessionPolicy counting = new SessionPolicy() {
            @Override
            public void onClient(Session session, ClientRequest request) {
                seen[0]++;
            }

            @Override
            public void onServer(Session session, ServerReply reply) {
                seen[1]++;
            }
        };
        PolicyDriver driver = new PolicyDriver(SessionPolicy.chain(replacing, counting), sql -> sql, "c");
        assertThat(driver.send(new Query("SELECT 1"))).containsExactly(new Query("SELECT 2"));
        assertThat(driver.reply(new dev.dsqllocal.pgwire.BackendMessage.ReadyForQuery('I')))
                .isNull();
        assertThat(seen).containsExactly(0, 0);
        PolicyDriver reversed = new PolicyDriver(SessionPolicy.chain(counting, replacing), sql -> sql, "c");
        assertThat(reversed.send(new Query("SELECT 1"))).containsExactly(new Query("SELECT 2"));
        assertThat(seen).containsExactly(1, 0);
        assertThat(SessionPolicy.chain(SessionPolicy.NONE, counting)).isSameAs(counting);
    }
}
