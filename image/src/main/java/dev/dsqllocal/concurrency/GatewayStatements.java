package dev.dsqllocal.concurrency;

import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.pgwire.FrontendMessage.Bind;
import dev.dsqllocal.pgwire.FrontendMessage.Close;
import dev.dsqllocal.pgwire.FrontendMessage.Execute;
import dev.dsqllocal.pgwire.FrontendMessage.Parse;
import dev.dsqllocal.pgwire.FrontendMessage.Query;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements the concurrency policy sends PostgreSQL on its own, as wire messages: its internal savepoint and
 * short lock wait, a statement in its own prepared statement and portal, and the ROLLBACK-then-raise that fails a
 * request with DSQL's 40001 while keeping the protocol's answers exact.
 */
final class GatewayStatements {

    static final String SAVEPOINT = "dsql_local_w";

    /**
     * How long a write inside the savepoint waits for another transaction's row lock before it is deferred: DSQL never
     * waits, and a lock held by a transaction that is not running a statement is not released any sooner by waiting.
     * Undone with the savepoint when the write is deferred; kept for the rest of the transaction otherwise. 5 ms
     * still lets a lock held by a statement that is running go in the common case: in {@code OccWorkloadBenchmark}
     * the 8-writer bank retries as often as with 10 ms, and a blocked statement answers in about 7 ms, not 12.
     */
    static final String SHORT_LOCK_WAIT = "SET LOCAL lock_timeout = '5ms'";
    /** The gateway's own prepared statement and portal, closed before each use (Close of a missing name is no error). */
    static final String OWN = "dsql_local_w";

    private GatewayStatements() {}

    /** {@link #ownStatement(Rerun, short[])} with the client's result formats, if it has a Bind. */
    static List<FrontendMessage> ownStatement(Rerun rerun) {
        return ownStatement(
                rerun, rerun.bind() == null ? new short[0] : rerun.bind().resultFormats());
    }

    /**
     * A statement of the gateway's own in the extended protocol, in its own prepared statement and portal (closed
     * first, so a failed earlier use leaves nothing behind), with the client's parameter values when it has any.
     */
    static List<FrontendMessage> ownStatement(Rerun rerun, short[] resultFormats) {
        Bind client = rerun.bind();
        Bind bind = client == null
                ? new Bind(OWN, OWN, new short[0], new byte[0][], resultFormats)
                : new Bind(OWN, OWN, client.parameterFormats(), client.values(), resultFormats);
        return List.of(
                new Close('P', OWN),
                new Close('S', OWN),
                new Parse(OWN, rerun.sql(), rerun.types()),
                bind,
                new Execute(OWN, 0));
    }

    private static String raise(Conflict code) {
        return "DO $dsql_local$BEGIN RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = '" + code.message()
                + "'; END$dsql_local$";
    }

    /** ROLLBACK, then the raise, in a simple Query. */
    static Query rollbackAndRaise(Conflict code) {
        return new Query("ROLLBACK;\n" + raise(code));
    }

    /** ROLLBACK, then the raise, over the extended protocol in the unnamed statement and portal. */
    static FrontendMessage[] extendedRollbackAndRaise(Conflict code) {
        List<FrontendMessage> messages = new ArrayList<>();
        for (String sql : new String[] {"ROLLBACK", raise(code)}) {
            messages.add(new Parse("", sql, new int[0]));
            messages.add(Bind.UNNAMED);
            messages.add(new Execute("", 0));
        }
        return messages.toArray(new FrontendMessage[0]);
    }
}
