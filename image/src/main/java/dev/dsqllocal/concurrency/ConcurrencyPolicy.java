package dev.dsqllocal.concurrency;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.BackendMessage.CommandComplete;
import dev.dsqllocal.pgwire.BackendMessage.ErrorResponse;
import dev.dsqllocal.pgwire.BackendMessage.NoticeResponse;
import dev.dsqllocal.pgwire.BackendMessage.ReadyForQuery;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.pgwire.FrontendMessage.Bind;
import dev.dsqllocal.pgwire.FrontendMessage.Execute;
import dev.dsqllocal.pgwire.FrontendMessage.Parse;
import dev.dsqllocal.pgwire.FrontendMessage.Query;
import dev.dsqllocal.session.ClientRequest;
import dev.dsqllocal.session.ServerReply;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementKind;
import dev.dsqllocal.sql.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aurora DSQL's optimistic concurrency on top of PostgreSQL, a session policy that runs before the session's other
 * one (the dialect, or none): it sees each request first, and PostgreSQL's answers first.
 *
 * <ul>
 *   <li><b>OC000.</b> Sessions run REPEATABLE READ with a short {@code lock_timeout} (set by the
 *       gateway at login), so a writer never waits long on another's row lock. PostgreSQL's
 *       {@code 40001} (concurrent update), {@code 55P03} (lock timeout) and {@code 40P01} (deadlock) are all
 *       answered as DSQL's {@code 40001 change conflicts with another transaction (OC000)}. PostgreSQL has
 *       already aborted its transaction at that point, so the error is reported at the conflicting statement,
 *       not deferred to COMMIT (DSQL's "otherwise at the conflicting statement").</li>
 *   <li><b>OC001.</b> Each session remembers the catalog version ({@link CatalogVersions}, per cluster) it last
 *       saw: the one current when it connected, its own DDL's, or the one it last failed for. When another session
 *       has committed a catalog change since, the session's next statement that touches storage
 *       ({@link StorageAccess}: not {@code SELECT 1}, SET, SHOW, ROLLBACK or an empty query) fails once with
 *       {@code 40001 schema has been updated by another transaction (OC001)}, and so does the COMMIT of a
 *       transaction that touched storage before the change; then the session is current again.</li>
 *   <li><b>DDL does not wait.</b> In DSQL DDL commits at once and the transactions it overtook fail later with
 *       OC001; PostgreSQL's DDL would wait for their table locks and lose with OC000 after the lock timeout. So when a
 *       session sends DDL (and the dialect let it through), every other session of the cluster whose transaction
 *       is open and idle (nothing in flight, ReadyForQuery 'T' or 'E') and has touched storage is rolled back on
 *       PostgreSQL's side, on that session's own event loop ({@link ClusterSessions}, {@link SessionPolicy.Session#execute}),
 *       before the DDL's 100 ms lock wait runs out; the gateway swallows the answers and marks the session
 *       <i>doomed</i>. Its client's next request then fails with OC001 as above, whatever it is (even
 *       {@code SELECT 1}: its transaction is gone), except a ROLLBACK, which PostgreSQL answers normally (its
 *       "there is no transaction in progress" warning is swallowed). Sessions running a statement at that moment
 *       are left alone (DDL on a table they use may still lose with OC000), autocommit sessions hold no locks and
 *       are never touched. Any DDL statement dooms them, without knowing which tables they locked, even one that
 *       then fails or does nothing: those transactions would get OC001 anyway had it committed, and OC001 is a
 *       retryable error.</li>
 *   <li><b>Injected commit failures</b> ({@link CommitFaults}): the next matching COMMIT of an open transaction,
 *       or autocommit DML statement, fails with the injected code.</li>
 * </ul>
 * Failing a request from the gateway: a simple Query is replaced by {@code ROLLBACK; DO ... RAISE} and an Execute
 * by the same two statements over the extended protocol, so PostgreSQL rolls the transaction back (nothing is
 * half-applied), raises the 40001 itself (keeping the protocol's skip-until-Sync and ReadyForQuery exact), and the
 * gateway swallows the answers to the requests it added. The client sees the error and ReadyForQuery 'I'.
 */
public final class ConcurrencyPolicy implements SessionPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrencyPolicy.class);

    static final String OC000 = Conflict.OC000.message();

    private final String clusterId;
    private final CommitFaults faults;
    private final CatalogVersions catalogs;
    private final ClusterSessions liveSessions;

    private final Set<String> writeSet = new HashSet<>();
    private char lastStatus = 'I';
    /** A BEGIN was sent since the last ReadyForQuery. */
    private boolean began;
    /** DDL was sent in the current transaction and not (yet) known to have failed or done nothing. */
    private boolean ddlPending;
    /** The catalog version this session's cache is at: its own DDL's, or the one it last got OC001 for. */
    private long seenCatalog;
    /** The open transaction has run a statement that touches storage ({@link StorageAccess}). */
    private boolean touchedStorage;
    /** The request being decided sends DDL. */
    private boolean sendsDdl;
    /**
     * Another session's DDL ended this session's idle transaction on PostgreSQL's side ({@link #doomIfIdle}): the
     * client's next request fails with OC001, unless it is the ROLLBACK.
     */
    private boolean doomed;
    /** The client's ROLLBACK of a doomed transaction is on its way: PostgreSQL's "no transaction" warning is ours. */
    private boolean quietRollback;
    /** A doomed extended-protocol request failed: PostgreSQL skips the client's messages up to Sync, so do we. */
    private boolean skipUntilSync;
    /** Set (once) at the session's first request, when it joins {@link #liveSessions}. */
    private volatile Session session;

    private volatile boolean closed;

    public ConcurrencyPolicy(String clusterId, CommitFaults faults, CatalogVersions catalogs) {
        this.clusterId = clusterId;
        this.faults = faults;
        this.catalogs = catalogs;
        this.liveSessions = catalogs.sessions();
        this.seenCatalog = catalogs.current(clusterId); // a new session loads the catalog as it is now
    }

    /** Runs before every session's policy of {@code inner}; the SQL and startup checks stay {@code inner}'s. */
    public static Factory factory(Factory inner, CommitFaults faults, CatalogVersions catalogs) {
        return new Factory() {
            @Override
            public SessionPolicy create(String clusterId, String user) {
                return SessionPolicy.chain(
                        new ConcurrencyPolicy(clusterId, faults, catalogs), inner.create(clusterId, user));
            }

            @Override
            public String sqlToRun(String written) {
                return inner.sqlToRun(written);
            }

            @Override
            public Optional<StartupRefusal> checkStartup(Map<String, String> parameters) {
                return inner.checkStartup(parameters);
            }
        };
    }

    // ------------------------------------------------------------------ client → server

    @Override
    public void onClient(Session s, ClientRequest request) {
        if (session == null && !closed) {
            session = s;
            liveSessions.add(clusterId, this);
        }
        boolean ddl = false;
        try {
            if ((skipUntilSync || doomed) && whileDoomed(request)) {
                return;
            }
            switch (request.type()) {
                case FrontendMessage.QUERY -> {
                    Conflict failure = decide(request.statements());
                    if (failure != null) {
                        request.replaceWithOwn(this, rollbackAndRaise(failure));
                        return;
                    }
                    ddl = sendsDdl;
                }
                case FrontendMessage.EXECUTE -> {
                    StatementInfo info = request.statement().orElse(null);
                    Conflict failure = info == null ? null : decide(List.of(info));
                    if (failure != null) {
                        request.replaceWithOwn(this, extendedRollbackAndRaise(failure));
                        return;
                    }
                    ddl = sendsDdl;
                }
                default -> {}
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not apply optimistic concurrency to a client message, passing it on: {}", e.toString());
        }
        if (ddl) {
            // The DDL must not wait for other sessions' idle transactions.
            doomIdleTransactionsElsewhere();
        }
    }

    /**
     * A request of a doomed session ({@link #doomIfIdle}): PostgreSQL has already rolled its transaction back. A
     * ROLLBACK goes through (PostgreSQL's "there is no transaction in progress" warning is swallowed); anything else
     * that would run a statement (Query, Parse, Bind, Execute) fails with OC001 in the same way as after a catalog
     * change, and the rest of an extended-protocol request up to its Sync is dropped, as PostgreSQL would skip it.
     * Returns whether the request was decided here (replaced or dropped); false to handle it normally.
     */
    private boolean whileDoomed(ClientRequest request) {
        byte type = request.type();
        if (skipUntilSync) {
            if (type == FrontendMessage.SYNC) {
                skipUntilSync = false;
                return false;
            }
            if (type == FrontendMessage.PARSE
                    || type == FrontendMessage.BIND
                    || type == FrontendMessage.DESCRIBE
                    || type == FrontendMessage.EXECUTE
                    || type == FrontendMessage.CLOSE) {
                request.drop();
                return true;
            }
            return false;
        }
        if (type != FrontendMessage.QUERY
                && type != FrontendMessage.PARSE
                && type != FrontendMessage.BIND
                && type != FrontendMessage.EXECUTE) {
            return false; // Describe, Close, Sync, Flush: nothing runs
        }
        StatementInfo info =
                request.statements().isEmpty() ? null : request.statements().get(0);
        doomed = false;
        if (info != null && isRollback(info)) {
            quietRollback = true;
            return false;
        }
        catalogChanged(); // the DDL that doomed the transaction, if it has committed, is the one reported now
        touchedStorage = false;
        writeSet.clear();
        if (type == FrontendMessage.QUERY) {
            request.replaceWithOwn(this, rollbackAndRaise(Conflict.OC001));
            return true;
        }
        skipUntilSync = true;
        request.replaceWithOwn(this, extendedRollbackAndRaise(Conflict.OC001));
        return true;
    }

    private static boolean isRollback(StatementInfo info) {
        return info.kind() == StatementKind.TRANSACTION_CONTROL
                && (info.command().equals("ROLLBACK") || info.command().equals("ABORT"));
    }

    /**
     * DSQL commits DDL at once and fails the transactions it overtook with OC001; PostgreSQL's DDL would instead
     * wait for their table locks (and lose after the 100 ms lock timeout). So the transactions other sessions of
     * this cluster hold open, idle, after touching storage, are rolled back on PostgreSQL's side now: they would
     * get OC001 anyway once this DDL commits. Runs on each session's own event loop; this DDL is already on its way,
     * and its lock wait leaves the rollbacks time to land.
     */
    private void doomIdleTransactionsElsewhere() {
        for (ConcurrencyPolicy other : liveSessions.of(clusterId)) {
            if (other != this) {
                other.session.execute(other::doomIfIdle);
            }
        }
    }

    /**
     * On this session's event loop: if its transaction is open and idle (nothing in flight, ReadyForQuery 'T' or
     * 'E') and has touched storage, rolls it back on PostgreSQL (the answers are swallowed) and marks it doomed, so
     * the client's next request fails with OC001 ({@link #whileDoomed}). A session running a statement is left
     * alone.
     */
    void doomIfIdle() {
        if (closed
                || doomed
                || skipUntilSync
                || session.awaitingReplies()
                || !touchedStorage
                || (lastStatus != 'T' && lastStatus != 'E')) {
            return;
        }
        LOG.debug("Session on cluster {}: open transaction rolled back for another session's DDL", clusterId);
        doomed = true;
        session.sendOwn(this, new Query("ROLLBACK"));
    }

    /**
     * Walks the statements about to be sent: records their effects (BEGIN, written tables, DDL, storage touched)
     * and returns the code they must fail with instead (stale catalog, injected conflict), or null to let them
     * through.
     */
    private Conflict decide(List<StatementInfo> infos) {
        sendsDdl = false;
        boolean inTransaction = lastStatus != 'I' || began;
        if (!inTransaction) {
            touchedStorage = false;
        }
        for (StatementInfo info : infos) {
            String command = info.command();
            if (info.kind() == StatementKind.TRANSACTION_CONTROL) {
                if (command.equals("BEGIN") || command.equals("START TRANSACTION")) {
                    inTransaction = true;
                    began = true;
                } else if (command.equals("COMMIT") || command.equals("END")) {
                    if (inTransaction) {
                        // The catalog changed after this transaction read or wrote through it: DSQL's COMMIT fails.
                        if (touchedStorage && catalogChanged()) {
                            return Conflict.OC001;
                        }
                        Optional<Conflict> injected = faults.takeCommitConflict(clusterId, writeSet);
                        if (injected.isPresent()) {
                            return injected.get();
                        }
                    }
                    inTransaction = false;
                    touchedStorage = false;
                } else if (command.equals("ROLLBACK") || command.equals("ABORT")) {
                    inTransaction = false;
                    touchedStorage = false;
                    writeSet.clear();
                }
                continue;
            }
            if (StorageAccess.touchesStorage(info)) {
                if (catalogChanged()) {
                    return Conflict.OC001;
                }
                if (inTransaction) {
                    touchedStorage = true;
                }
            }
            if (info.kind() == StatementKind.DML) {
                Optional<String> target = dmlTarget(info);
                target.ifPresent(writeSet::add);
                if (!inTransaction) {
                    Optional<Conflict> injected = faults.takeCommitConflict(
                            clusterId, target.map(Set::of).orElse(Set.of()));
                    writeSet.clear();
                    if (injected.isPresent()) {
                        return injected.get();
                    }
                }
            } else if (info.kind() == StatementKind.DDL) {
                ddlPending = true;
                sendsDdl = true;
            }
        }
        return null;
    }

    /**
     * Whether another session committed a catalog change since this one last looked; if so the session is brought
     * up to date, so the OC001 this answers is raised once and the retry runs (DSQL: "retrying on the same session
     * refreshes the cache").
     */
    private boolean catalogChanged() {
        long current = catalogs.current(clusterId);
        if (current <= seenCatalog) {
            return false;
        }
        LOG.debug("Session on cluster {}: catalog version {} is stale (now {})", clusterId, seenCatalog, current);
        seenCatalog = current;
        return true;
    }

    /** The table an INSERT/UPDATE/DELETE/MERGE writes, as {@code schema.name} or a bare name, lower-cased. */
    static Optional<String> dmlTarget(StatementInfo info) {
        List<Token> tokens = info.statement().tokens();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            int at;
            if ((t.isWord("insert") || t.isWord("merge"))
                    && i + 1 < tokens.size()
                    && tokens.get(i + 1).isWord("into")) {
                at = i + 2;
            } else if (t.isWord("delete")
                    && i + 1 < tokens.size()
                    && tokens.get(i + 1).isWord("from")) {
                at = i + 2;
            } else if (t.isWord("update") && (i == 0 || !tokens.get(i - 1).isWord("for"))) {
                at = i + 1;
            } else {
                continue;
            }
            if (at < tokens.size() && tokens.get(at).isWord("only")) {
                at++;
            }
            if (at >= tokens.size() || !tokens.get(at).isName()) {
                return Optional.empty();
            }
            String name = tokens.get(at).value();
            if (at + 2 < tokens.size()
                    && tokens.get(at + 1).isPunctuation('.')
                    && tokens.get(at + 2).isName()) {
                name = name + "." + tokens.get(at + 2).value();
            }
            return Optional.of(name.toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ server → client

    @Override
    public void onServer(Session s, ServerReply reply) {
        byte type = reply.type();
        try {
            switch (type) {
                case BackendMessage.PARSE_COMPLETE, BackendMessage.BIND_COMPLETE, BackendMessage.CLOSE_COMPLETE -> {
                    if (reply.answersOwnOf(this)) {
                        reply.drop();
                    }
                }
                case BackendMessage.COMMAND_COMPLETE,
                        BackendMessage.EMPTY_QUERY_RESPONSE,
                        BackendMessage.PORTAL_SUSPENDED -> {
                    if (reply.message() instanceof CommandComplete c && c.tag().equals("ROLLBACK")) {
                        ddlPending = false;
                    }
                    if (reply.answersOwnOf(this)) {
                        reply.drop();
                    }
                }
                case BackendMessage.NOTICE_RESPONSE -> {
                    NoticeResponse notice = (NoticeResponse) reply.message();
                    if (quietRollback && "25P01".equals(notice.sqlState())) {
                        quietRollback = false; // "there is no transaction in progress": the gateway ended it
                        reply.drop();
                        return;
                    }
                    if (ddlPending && isSkippedDdlNotice(notice)) {
                        // CREATE ... IF NOT EXISTS / DROP ... IF EXISTS that found nothing to do wrote no catalog.
                        ddlPending = false;
                    }
                    if (reply.answersOwnOf(this)) {
                        reply.drop();
                    }
                }
                case BackendMessage.ERROR_RESPONSE -> {
                    ddlPending = false;
                    ErrorResponse error = (ErrorResponse) reply.message();
                    if (reply.answersInjectedBy(this)) {
                        LOG.debug("The gateway's own ROLLBACK failed on cluster {}: {}", clusterId, error.fields());
                        reply.drop();
                        return;
                    }
                    ErrorResponse dsql = asDsqlConflict(error);
                    if (dsql != error) {
                        reply.replaceWith(dsql);
                    }
                }
                case BackendMessage.READY_FOR_QUERY -> {
                    char status = ((ReadyForQuery) reply.message()).status();
                    if (reply.answersInjectedBy(this)) {
                        lastStatus = status;
                        touchedStorage = false;
                        writeSet.clear();
                        reply.drop();
                        return;
                    }
                    quietRollback = false;
                    readyForQuery(status);
                }
                default -> {}
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not apply optimistic concurrency to a server message, passing it on: {}", e.toString());
        }
    }

    private void readyForQuery(char status) {
        lastStatus = status;
        began = false;
        if (status == 'I') {
            if (ddlPending) {
                // This session's DDL committed: every other session's catalog is now stale, its own is not.
                seenCatalog = catalogs.bump(clusterId);
                ddlPending = false;
            }
            writeSet.clear();
        }
    }

    @Override
    public void onClose(Session s) {
        closed = true;
        liveSessions.remove(clusterId, this);
    }

    /**
     * PostgreSQL's notice that an {@code IF [NOT] EXISTS} statement did nothing ("relation "t" already exists,
     * skipping", "table "t" does not exist, skipping").
     */
    static boolean isSkippedDdlNotice(NoticeResponse notice) {
        Map<Character, String> fields = notice.fields();
        return fields.getOrDefault('M', "").endsWith(", skipping")
                && Set.of("00000", "42P07", "42P06", "42710", "42701", "42723").contains(fields.getOrDefault('C', ""));
    }

    /** PostgreSQL's serialization failure, lock timeout or deadlock as DSQL's OC000; DSQL's own errors trimmed. */
    static ErrorResponse asDsqlConflict(ErrorResponse error) {
        Map<Character, String> fields = error.fields();
        String code = fields.getOrDefault('C', "");
        String text = fields.getOrDefault('M', "");
        String dsqlText;
        if (code.equals("40001") && (text.endsWith("(OC000)") || text.endsWith("(OC001)"))) {
            dsqlText = text; // raised by the gateway's own DO block: drop its CONTEXT and source position
        } else if (code.equals("40001") || code.equals("55P03") || code.equals("40P01")) {
            dsqlText = OC000;
        } else {
            return error;
        }
        return ErrorResponse.of(fields.getOrDefault('S', "ERROR"), "40001", dsqlText, null, null);
    }

    // ------------------------------------------------------------------ wire helpers

    private static String raise(Conflict code) {
        return "DO $dsql_local$BEGIN RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = '" + code.message()
                + "'; END$dsql_local$";
    }

    /** ROLLBACK, then the raise, in a simple Query. */
    private static Query rollbackAndRaise(Conflict code) {
        return new Query("ROLLBACK;\n" + raise(code));
    }

    /** ROLLBACK, then the raise, over the extended protocol in the unnamed statement and portal. */
    private static FrontendMessage[] extendedRollbackAndRaise(Conflict code) {
        List<FrontendMessage> messages = new ArrayList<>();
        for (String sql : new String[] {"ROLLBACK", raise(code)}) {
            messages.add(new Parse("", sql, new int[0]));
            messages.add(Bind.UNNAMED);
            messages.add(new Execute("", 0));
        }
        return messages.toArray(new FrontendMessage[0]);
    }
}
