package dev.dsqllocal.dialect;

import dev.dsqllocal.gateway.ProtocolInterceptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interceptor at message level, with PostgreSQL's answers played by the test: refused statements reach
 * PostgreSQL as markers, marker errors come back as DSQL's errors, completions feed the transaction rules.
 */
class DialectInterceptorTest {

    private final DialectInterceptor interceptor = new DialectInterceptor(DialectRules.latest(), Clock.systemUTC());

    private final ProtocolInterceptor.Session session = new ProtocolInterceptor.Session() {
        @Override
        public String clusterId() {
            return "c";
        }

        @Override
        public String user() {
            return "admin";
        }

        @Override
        public void toClient(ByteBuf message) {
            message.release();
        }

        @Override
        public void toServer(ByteBuf message) {
            message.release();
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }
    };

    private static String text(ByteBuf buf, int at) {
        int end = buf.indexOf(at, buf.writerIndex(), (byte) 0);
        return buf.toString(at, end - at, StandardCharsets.UTF_8);
    }

    /** Sends a Query; returns the text PostgreSQL receives. */
    private String query(String sql) {
        ByteBuf out = interceptor.onClientMessage(session, DialectInterceptor.queryMessage(sql));
        assertThat((char) out.getByte(0)).isEqualTo('Q');
        String sent = text(out, 5);
        out.release();
        return sent;
    }

    private ByteBuf fromServer(ByteBuf message) {
        return interceptor.onServerMessage(session, message);
    }

    private static ByteBuf commandComplete(String tag) {
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeByte('C').writeInt(4 + t.length + 1).writeBytes(t).writeByte(0);
    }

    private static ByteBuf readyForQuery(char status) {
        return Unpooled.buffer().writeByte('Z').writeInt(5).writeByte(status);
    }

    private static ByteBuf postgresError(String sqlstate, String message) {
        return DialectInterceptor.errorMessage(DsqlError.error(sqlstate, message));
    }

    /** PostgreSQL's answer to a marker statement: 42703 naming the marker column. */
    private static ByteBuf markerError(String sentSql) {
        String marker = sentSql.substring(sentSql.lastIndexOf("SELECT \"") + 8, sentSql.length() - 1);
        return postgresError("42703", "column \"" + marker + "\" does not exist");
    }

    private static Map<Character, String> fields(ByteBuf error) {
        assertThat((char) error.getByte(0)).isEqualTo('E');
        Map<Character, String> f = dev.dsqllocal.gateway.PgMessages.errorFields(error);
        error.release();
        return f;
    }

    @Test
    void allowedQueriesPassUnchanged() {
        ByteBuf original = DialectInterceptor.queryMessage("SELECT 1");
        ByteBuf out = interceptor.onClientMessage(session, original);
        assertThat(out).isSameAs(original);
        out.release();
        ByteBuf complete = commandComplete("SELECT 1");
        assertThat(fromServer(complete)).isSameAs(complete);
        complete.release();
        ByteBuf ready = readyForQuery('I');
        assertThat(fromServer(ready).getByte(5)).isEqualTo((byte) 'I');
        ready.release();
    }

    @Test
    void aRefusedStatementReachesPostgresAsAMarkerAndComesBackAsDsqlsError() {
        String sent = query("TRUNCATE baseline_parent");
        assertThat(sent).startsWith("SELECT \"dsql-local refusal ").doesNotContain("TRUNCATE");
        Map<Character, String> error = fields(fromServer(markerError(sent)));
        assertThat(error).containsEntry('C', "0A000").containsEntry('M', "unsupported statement: Truncate")
                .containsEntry('S', "ERROR");
        ByteBuf ready = fromServer(readyForQuery('I'));
        assertThat(ready.getByte(5)).isEqualTo((byte) 'I');
        ready.release();
    }

    @Test
    void statementsBeforeTheRefusedOneRunInTheSameImplicitTransaction() {
        String sent = query("INSERT INTO t VALUES (1); TRUNCATE t; SELECT 2");
        assertThat(sent).startsWith("INSERT INTO t VALUES (1);\nSELECT \"dsql-local refusal ").doesNotContain("SELECT 2");
    }

    @Test
    void secondDdlInATransactionIsRefusedAndTheTransactionStaysFailed() {
        query("BEGIN");
        fromServer(commandComplete("BEGIN")).release();
        fromServer(readyForQuery('T')).release();
        query("CREATE TABLE a (id int)");
        fromServer(commandComplete("CREATE TABLE")).release();
        fromServer(readyForQuery('T')).release();
        String sent = query("CREATE TABLE b (id int)");
        assertThat(fields(fromServer(markerError(sent))))
                .containsEntry('M', "multiple ddl statements not supported in a transaction");
        ByteBuf ready = fromServer(readyForQuery('E'));
        assertThat(ready.getByte(5)).isEqualTo((byte) 'E');
        ready.release();
        // PostgreSQL's own 25P02 for the next statement passes unchanged
        String next = query("SELECT 1");
        assertThat(next).startsWith("SELECT \"dsql-local refusal");
    }

    @Test
    void rowLimitTurnsTheCompletionIntoAnErrorAndFailsTheTransaction() {
        query("BEGIN");
        fromServer(commandComplete("BEGIN")).release();
        fromServer(readyForQuery('T')).release();
        query("INSERT INTO b SELECT generate_series(1, 3001)");
        assertThat(fields(fromServer(commandComplete("INSERT 0 3001"))))
                .containsEntry('C', "54000").containsEntry('M', "transaction row limit exceeded");
        ByteBuf ready = fromServer(readyForQuery('T'));
        assertThat(ready.getByte(5)).as("DSQL's view: the transaction failed").isEqualTo((byte) 'E');
        ready.release();
        assertThat(query("COMMIT")).isEqualTo("ROLLBACK");
        fromServer(commandComplete("ROLLBACK")).release();
        fromServer(readyForQuery('I')).release();
        assertThat(query("SELECT 1")).isEqualTo("SELECT 1");
    }

    @Test
    void parseOfARefusedStatementIsReplacedKeepingNameAndParameterTypes() {
        ByteBuf types = Unpooled.buffer().writeShort(1).writeInt(23);
        ByteBuf parse = DialectInterceptor.parseMessage("s1", "SELECT pg_advisory_lock($1)", types);
        ByteBuf out = interceptor.onClientMessage(session, parse);
        assertThat(text(out, 5)).isEqualTo("s1");
        String sql = text(out, 8);
        assertThat(sql).startsWith("SELECT \"dsql-local refusal ");
        int typesAt = 8 + sql.length() + 1;
        assertThat(out.getShort(typesAt)).isEqualTo((short) 1);
        assertThat(out.getInt(typesAt + 2)).isEqualTo(23);
        out.release();
        types.release();
        assertThat(fields(fromServer(markerError(sql)))).containsEntry('M', "function pg_advisory_lock not supported");
    }

    @Test
    void dsqlsOwnSettingBecomesAPostgresCustomSetting() {
        assertThat(query("SET disable_sync_create_index = off")).isEqualTo("SET dsql_local.disable_sync_create_index = off");
        fromServer(commandComplete("SET")).release();
        fromServer(readyForQuery('I')).release();
        assertThat(interceptor.session().state().syncCreateIndexDisabled()).isFalse();
        assertThat(query("/* c */ RESET disable_sync_create_index"))
                .isEqualTo("/* c */ RESET dsql_local.disable_sync_create_index");
        assertThat(query("SHOW disable_sync_create_index")).isEqualTo("SHOW dsql_local.disable_sync_create_index");
        assertThat(query("SELECT 'disable_sync_create_index'")).isEqualTo("SELECT 'disable_sync_create_index'");
    }

    @Test
    void otherServerErrorsPassUnchanged() {
        query("SELECT 1/0");
        ByteBuf error = postgresError("22012", "division by zero");
        assertThat(fromServer(error)).isSameAs(error);
        error.release();
    }

    @Test
    void malformedMessagesArePassedOn() {
        ByteBuf broken = Unpooled.buffer().writeByte('Q').writeInt(7).writeBytes(new byte[] {'a', 'b', 'c'});
        assertThat(interceptor.onClientMessage(session, broken)).isSameAs(broken);
        broken.release();
    }

    @Test
    void extendedProtocolExecuteIsCheckedAgainstTheTransaction() {
        List<ByteBuf> sent = new ArrayList<>();
        for (String sql : List.of("BEGIN", "CREATE TABLE a (id int)", "CREATE TABLE b (id int)")) {
            ByteBuf parse = DialectInterceptor.parseMessage("", sql, Unpooled.wrappedBuffer(new byte[2]));
            interceptor.onClientMessage(session, parse).release();
            ByteBuf bind = Unpooled.buffer().writeByte('B').writeInt(4 + 1 + 1 + 2 + 2 + 2).writeByte(0).writeByte(0)
                    .writeShort(0).writeShort(0).writeShort(0);
            interceptor.onClientMessage(session, bind).release();
            ByteBuf execute = Unpooled.buffer().writeByte('E').writeInt(4 + 1 + 4).writeByte(0).writeInt(0);
            sent.add(interceptor.onClientMessage(session, execute));
        }
        assertThat((char) sent.get(0).getByte(0)).isEqualTo('E');
        assertThat((char) sent.get(1).getByte(0)).isEqualTo('E');
        ByteBuf replaced = sent.get(2);
        assertThat((char) replaced.getByte(0)).as("the third Execute became a marker Parse").isEqualTo('P');
        assertThat(text(replaced, 5)).isEqualTo(DialectInterceptor.MARKER_STATEMENT);
        String marker = text(replaced, 5 + DialectInterceptor.MARKER_STATEMENT.length() + 1);
        sent.forEach(ByteBuf::release);
        fromServer(commandComplete("BEGIN")).release();
        fromServer(commandComplete("CREATE TABLE")).release();
        assertThat(fields(fromServer(markerError(marker))))
                .containsEntry('M', "multiple ddl statements not supported in a transaction");
    }

    @Test
    void createIndexAsyncIsAnsweredWithDsqlsTagAndWithoutTheRewrittenStatementsContext() {
        String sent = query("CREATE INDEX ASYNC ix ON t (a); CREATE INDEX ASYNC iy ON nowhere (b)");
        assertThat(sent).startsWith("SELECT job_id FROM sys.dsql_local_create_index_async($dsql_local$CREATE INDEX ")
                .doesNotContain("ASYNC");
        ByteBuf done = fromServer(commandComplete("SELECT 1"));
        assertThat(text(done, 5)).isEqualTo("CREATE INDEX");
        done.release();

        ByteBuf body = Unpooled.buffer();
        for (String[] f : new String[][] {{"S", "ERROR"}, {"C", "42P01"}, {"M", "relation \"nowhere\" does not exist"},
                {"W", "SQL statement \"CREATE INDEX iy ON nowhere (b)\" PL/pgSQL function ..."}}) {
            body.writeByte(f[0].charAt(0)).writeBytes(f[1].getBytes(StandardCharsets.UTF_8)).writeByte(0);
        }
        body.writeByte(0);
        ByteBuf error = Unpooled.buffer().writeByte('E').writeInt(4 + body.readableBytes()).writeBytes(body);
        body.release();
        ByteBuf out = fromServer(error);
        Map<Character, String> fields = dev.dsqllocal.gateway.PgMessages.errorFields(out);
        out.release();
        assertThat(fields).containsEntry('C', "42P01").containsEntry('M', "relation \"nowhere\" does not exist")
                .doesNotContainKey('W');
        fromServer(readyForQuery('I')).release();
    }

    /** An ErrorResponse as PostgreSQL sends it for a RAISE in a PL/pgSQL function (file, line, routine, context). */
    private static ByteBuf raisedError(String sqlstate, String message, String detail, String context) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte('E').writeInt(0);
        Map<Character, String> f = new java.util.LinkedHashMap<>();
        f.put('S', "ERROR");
        f.put('V', "ERROR");
        f.put('C', sqlstate);
        f.put('M', message);
        if (detail != null) {
            f.put('D', detail);
        }
        f.put('W', context);
        f.put('F', "pl_exec.c");
        f.put('L', "3911");
        f.put('R', "exec_stmt_raise");
        f.forEach((k, v) -> b.writeByte(k).writeBytes(v.getBytes(StandardCharsets.UTF_8)).writeByte(0));
        b.writeByte(0);
        b.setInt(1, b.writerIndex() - 1);
        return b;
    }

    @Test
    void theTemplatesLimitErrorsReachTheClientAsDsqlWordsThemWithoutTheTriggerContext() {
        query("INSERT INTO t SELECT g FROM generate_series(1, 3001) g");
        Map<Character, String> rows = fields(fromServer(raisedError("54000", "transaction row limit exceeded", null,
                "PL/pgSQL function sys.dsql_local_count_changes() line 22 at RAISE")));
        assertThat(rows).containsEntry('C', "54000").containsEntry('M', "transaction row limit exceeded")
                .containsEntry('S', "ERROR").doesNotContainKeys('W', 'F', 'L', 'R', 'D');
        fromServer(readyForQuery('I')).release();

        query("COMMIT");
        Map<Character, String> size = fields(fromServer(raisedError("54000", "transaction size limit 10mb exceeded",
                "Current transaction size 12mb > 10mb",
                "PL/pgSQL function sys.dsql_local_size_limit_exceeded() line 5 at RAISE")));
        assertThat(size).containsEntry('C', "54000").containsEntry('M', "transaction size limit 10mb exceeded")
                .containsEntry('D', "Current transaction size 12mb > 10mb").doesNotContainKeys('W', 'F', 'L', 'R');
        fromServer(readyForQuery('I')).release();
    }

    @Test
    void aUsersOwn54000PassesUntouched() {
        query("SELECT f()");
        ByteBuf original = raisedError("54000", "transaction row limit exceeded", null,
                "SQL function \"f\" statement 1");
        ByteBuf out = fromServer(original);
        assertThat(out).isSameAs(original);
        assertThat(fields(out)).containsKey('W');
        fromServer(readyForQuery('I')).release();
    }
}
