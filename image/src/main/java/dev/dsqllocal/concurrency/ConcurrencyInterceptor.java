package dev.dsqllocal.concurrency;

import static dev.dsqllocal.gateway.PgMessages.cString;
import static dev.dsqllocal.gateway.PgMessages.errorFields;
import static dev.dsqllocal.gateway.PgMessages.utf8Length;

import dev.dsqllocal.sql.StatementClassifier;
import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementKind;
import dev.dsqllocal.sql.Token;
import dev.dsqllocal.faults.FaultRegistry;
import dev.dsqllocal.faults.FaultRegistry.ConflictCode;
import dev.dsqllocal.gateway.ProtocolInterceptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Aurora DSQL's optimistic concurrency on top of PostgreSQL, wrapped around the session's other interceptor (the
 * dialect, or pass-through).
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
 *       PostgreSQL's side, on that session's own event loop ({@link ClusterSessions}, {@link Session#execute}),
 *       before the DDL's 100 ms lock wait runs out; the gateway swallows the answers and marks the session
 *       <i>doomed</i>. Its client's next request then fails with OC001 as above, whatever it is (even
 *       {@code SELECT 1}: its transaction is gone), except a ROLLBACK, which PostgreSQL answers normally (its
 *       "there is no transaction in progress" warning is swallowed). Sessions running a statement at that moment
 *       are left alone (DDL on a table they use may still lose with OC000), autocommit sessions hold no locks and
 *       are never touched. Any DDL statement dooms them, without knowing which tables they locked, even one that
 *       then fails or does nothing: those transactions would get OC001 anyway had it committed, and OC001 is a
 *       retryable error.</li>
 *   <li><b>Injected commit failures</b> ({@link FaultRegistry}): the next matching COMMIT of an open transaction,
 *       or autocommit DML statement, fails with the injected code.</li>
 * </ul>
 * Failing a request from the gateway: a simple Query is replaced by {@code ROLLBACK; DO ... RAISE} and an Execute
 * by the same two statements over the extended protocol, so PostgreSQL rolls the transaction back (nothing is
 * half-applied), raises the 40001 itself (keeping the protocol's skip-until-Sync and ReadyForQuery exact), and the
 * gateway swallows the answers to the requests it added. The client sees the error and ReadyForQuery 'I'.
 */
public final class ConcurrencyInterceptor implements ProtocolInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrencyInterceptor.class);

    static final String OC000 = ConflictCode.OC000.message();

    /** {@code INJECTED}: a Query the gateway sent on its own (not in place of a client's), answered to nobody. */
    private enum Kind { PARSE, BIND, CLOSE, EXECUTE, SYNC, QUERY, INJECTED }

    /** A response PostgreSQL owes, in order; {@code mine} when the gateway added the request. */
    private record Pending(Kind kind, boolean mine) {
    }

    private final ProtocolInterceptor inner;
    private final String clusterId;
    private final FaultRegistry faults;
    private final CatalogVersions catalogs;
    private final ClusterSessions liveSessions;

    private final Deque<Pending> pending = new ArrayDeque<>();
    private final Map<String, StatementInfo> statements = new HashMap<>();
    private final Map<String, StatementInfo> portals = new HashMap<>();
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

    public ConcurrencyInterceptor(ProtocolInterceptor inner, String clusterId, FaultRegistry faults,
                                  CatalogVersions catalogs) {
        this.inner = inner;
        this.clusterId = clusterId;
        this.faults = faults;
        this.catalogs = catalogs;
        this.liveSessions = catalogs.sessions();
        this.seenCatalog = catalogs.current(clusterId); // a new session loads the catalog as it is now
    }

    /** Wraps every session's interceptor of {@code inner}; startup checks stay {@code inner}'s. */
    public static Factory factory(Factory inner, FaultRegistry faults, CatalogVersions catalogs) {
        return new Factory() {
            @Override
            public ProtocolInterceptor create(String clusterId, String user) {
                return new ConcurrencyInterceptor(inner.create(clusterId, user), clusterId, faults, catalogs);
            }

            @Override
            public Optional<StartupRefusal> checkStartup(Map<String, String> parameters) {
                return inner.checkStartup(parameters);
            }
        };
    }

    // ------------------------------------------------------------------ client → server

    @Override
    public ByteBuf onClientMessage(Session s, ByteBuf message) {
        if (session == null && !closed) {
            session = s;
            liveSessions.add(clusterId, this);
        }
        byte type = message.getByte(message.readerIndex());
        boolean ddl = false;
        try {
            if (skipUntilSync || doomed) {
                ByteBuf instead = whileDoomed(type, message);
                if (instead != message) {
                    return instead;
                }
            }
            switch (type) {
                case 'Q' -> {
                    List<StatementInfo> infos = StatementClassifier.classifyAll(cString(message, message.readerIndex() + 5));
                    ConflictCode failure = decide(infos);
                    if (failure != null) {
                        message.release();
                        pending.add(new Pending(Kind.QUERY, true));
                        return queryMessage("ROLLBACK;\n" + raise(failure));
                    }
                    pending.add(new Pending(Kind.QUERY, false));
                    ddl = sendsDdl;
                }
                case 'P' -> {
                    int at = message.readerIndex() + 5;
                    String name = cString(message, at);
                    String sql = cString(message, at + utf8Length(name) + 1);
                    statements.put(name, StatementClassifier.classifySingle(sql));
                    pending.add(new Pending(Kind.PARSE, false));
                }
                case 'B' -> {
                    int at = message.readerIndex() + 5;
                    String portal = cString(message, at);
                    StatementInfo info = statements.get(cString(message, at + utf8Length(portal) + 1));
                    if (info != null) {
                        portals.put(portal, info);
                    } else {
                        portals.remove(portal);
                    }
                    pending.add(new Pending(Kind.BIND, false));
                }
                case 'E' -> {
                    StatementInfo info = portals.get(cString(message, message.readerIndex() + 5));
                    ConflictCode failure = info == null ? null : decide(List.of(info));
                    if (failure != null) {
                        message.release();
                        for (int i = 0; i < 2; i++) {
                            pending.add(new Pending(Kind.PARSE, true));
                            pending.add(new Pending(Kind.BIND, true));
                            pending.add(new Pending(Kind.EXECUTE, true));
                        }
                        return extendedRollbackAndRaise(failure);
                    }
                    pending.add(new Pending(Kind.EXECUTE, false));
                    ddl = sendsDdl;
                }
                case 'S' -> pending.add(new Pending(Kind.SYNC, false));
                case 'C' -> {
                    int at = message.readerIndex() + 5;
                    if (message.getByte(at) == 'S') {
                        statements.remove(cString(message, at + 1));
                    } else {
                        portals.remove(cString(message, at + 1));
                    }
                    pending.add(new Pending(Kind.CLOSE, false));
                }
                default -> {
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not read a client message, passing it on: {}", e.toString());
        }
        ByteBuf out = inner.onClientMessage(s, message);
        if (ddl && out != null) {
            // Sent (the dialect did not refuse it): the DDL must not wait for other sessions' idle transactions.
            doomIdleTransactionsElsewhere();
        }
        return out;
    }

    /**
     * A request of a doomed session ({@link #doomIfIdle}): PostgreSQL has already rolled its transaction back. A
     * ROLLBACK goes through (PostgreSQL's "there is no transaction in progress" warning is swallowed); anything else
     * that would run a statement (Query, Parse, Bind, Execute) fails with OC001 in the same way as after a catalog
     * change, and the rest of an extended-protocol request up to its Sync is dropped, as PostgreSQL would skip it.
     * Returns {@code message} to handle it normally, or what to send instead (null: nothing).
     */
    private ByteBuf whileDoomed(byte type, ByteBuf message) {
        if (skipUntilSync) {
            if (type == 'S') {
                skipUntilSync = false;
                return message;
            }
            if (type == 'P' || type == 'B' || type == 'D' || type == 'E' || type == 'C') {
                message.release();
                return null;
            }
            return message;
        }
        StatementInfo info;
        int at = message.readerIndex() + 5;
        switch (type) {
            case 'Q' -> info = StatementClassifier.classifyAll(cString(message, at)).stream().findFirst().orElse(null);
            case 'P' -> info = StatementClassifier.classifySingle(cString(message, at + utf8Length(cString(message, at)) + 1));
            case 'B' -> info = statements.get(cString(message, at + utf8Length(cString(message, at)) + 1));
            case 'E' -> info = portals.get(cString(message, at));
            default -> {
                return message; // Describe, Close, Sync, Flush: nothing runs
            }
        }
        doomed = false;
        if (info != null && isRollback(info)) {
            quietRollback = true;
            return message;
        }
        catalogChanged(); // the DDL that doomed the transaction, if it has committed, is the one reported now
        touchedStorage = false;
        writeSet.clear();
        message.release();
        if (type == 'Q') {
            pending.add(new Pending(Kind.QUERY, true));
            return queryMessage("ROLLBACK;\n" + raise(ConflictCode.OC001));
        }
        skipUntilSync = true;
        for (int i = 0; i < 2; i++) {
            pending.add(new Pending(Kind.PARSE, true));
            pending.add(new Pending(Kind.BIND, true));
            pending.add(new Pending(Kind.EXECUTE, true));
        }
        return extendedRollbackAndRaise(ConflictCode.OC001);
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
        for (ConcurrencyInterceptor other : liveSessions.of(clusterId)) {
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
        if (closed || doomed || skipUntilSync || !pending.isEmpty() || !touchedStorage
                || (lastStatus != 'T' && lastStatus != 'E')) {
            return;
        }
        LOG.debug("Session on cluster {}: open transaction rolled back for another session's DDL", clusterId);
        doomed = true;
        pending.add(new Pending(Kind.INJECTED, true));
        session.toServer(queryMessage("ROLLBACK"));
    }

    /**
     * Walks the statements about to be sent: records their effects (BEGIN, written tables, DDL, storage touched)
     * and returns the code they must fail with instead (stale catalog, injected conflict), or null to let them
     * through.
     */
    private ConflictCode decide(List<StatementInfo> infos) {
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
                            return ConflictCode.OC001;
                        }
                        Optional<ConflictCode> injected = faults.takeCommitConflict(clusterId, writeSet);
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
                    return ConflictCode.OC001;
                }
                if (inTransaction) {
                    touchedStorage = true;
                }
            }
            if (info.kind() == StatementKind.DML) {
                Optional<String> target = dmlTarget(info);
                target.ifPresent(writeSet::add);
                if (!inTransaction) {
                    Optional<ConflictCode> injected = faults.takeCommitConflict(clusterId,
                            target.map(Set::of).orElse(Set.of()));
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
            if ((t.isWord("insert") || t.isWord("merge")) && i + 1 < tokens.size() && tokens.get(i + 1).isWord("into")) {
                at = i + 2;
            } else if (t.isWord("delete") && i + 1 < tokens.size() && tokens.get(i + 1).isWord("from")) {
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
            if (at + 2 < tokens.size() && tokens.get(at + 1).isPunctuation('.') && tokens.get(at + 2).isName()) {
                name = name + "." + tokens.get(at + 2).value();
            }
            return Optional.of(name.toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ server → client

    @Override
    public ByteBuf onServerMessage(Session s, ByteBuf message) {
        byte type = message.getByte(message.readerIndex());
        try {
            switch (type) {
                case '1', '2', '3' -> {
                    Kind kind = type == '1' ? Kind.PARSE : type == '2' ? Kind.BIND : Kind.CLOSE;
                    Pending p = pending.peekFirst();
                    if (p != null && p.kind() == kind) {
                        pending.pollFirst();
                        if (p.mine()) {
                            message.release();
                            return null;
                        }
                    }
                }
                case 'C', 'I', 's' -> {
                    if (type == 'C' && cString(message, message.readerIndex() + 5).equals("ROLLBACK")) {
                        ddlPending = false;
                    }
                    Pending p = pending.peekFirst();
                    if (p != null && p.kind() == Kind.EXECUTE) {
                        pending.pollFirst();
                    }
                    if (p != null && p.mine()
                            && (p.kind() == Kind.EXECUTE || p.kind() == Kind.QUERY || p.kind() == Kind.INJECTED)) {
                        message.release();
                        return null;
                    }
                }
                case 'N' -> {
                    if (quietRollback && "25P01".equals(errorFields(message).get('C'))) {
                        quietRollback = false; // "there is no transaction in progress": the gateway ended it
                        message.release();
                        return null;
                    }
                    if (ddlPending && isSkippedDdlNotice(message)) {
                        // CREATE ... IF NOT EXISTS / DROP ... IF EXISTS that found nothing to do wrote no catalog.
                        ddlPending = false;
                    }
                    Pending p = pending.peekFirst();
                    if (p != null && p.mine()) {
                        message.release();
                        return null;
                    }
                }
                case 'E' -> {
                    ddlPending = false;
                    Pending p = pending.peekFirst();
                    if (p != null && p.kind() == Kind.INJECTED) {
                        LOG.debug("The gateway's own ROLLBACK failed on cluster {}: {}", clusterId, errorFields(message));
                        message.release();
                        return null;
                    }
                    if (p != null && p.kind() != Kind.QUERY && p.kind() != Kind.SYNC) {
                        // The extended protocol skips everything up to Sync after an error.
                        while (!pending.isEmpty() && pending.peekFirst().kind() != Kind.SYNC) {
                            pending.pollFirst();
                        }
                    }
                    message = asDsqlConflict(message);
                }
                case 'Z' -> {
                    Pending p = pending.peekFirst();
                    if (p != null && p.kind() == Kind.INJECTED) {
                        pending.pollFirst();
                        lastStatus = (char) message.getByte(message.readerIndex() + 5);
                        touchedStorage = false;
                        writeSet.clear();
                        message.release();
                        return null;
                    }
                    quietRollback = false;
                    while (!pending.isEmpty()) {
                        Kind k = pending.pollFirst().kind();
                        if (k == Kind.SYNC || k == Kind.QUERY) {
                            break;
                        }
                    }
                    readyForQuery((char) message.getByte(message.readerIndex() + 5));
                }
                default -> {
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not read a server message, passing it on: {}", e.toString());
        }
        return inner.onServerMessage(s, message);
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
        inner.onClose(s);
    }

    /**
     * PostgreSQL's notice that an {@code IF [NOT] EXISTS} statement did nothing ("relation "t" already exists,
     * skipping", "table "t" does not exist, skipping").
     */
    static boolean isSkippedDdlNotice(ByteBuf notice) {
        Map<Character, String> fields = errorFields(notice);
        return fields.getOrDefault('M', "").endsWith(", skipping")
                && Set.of("00000", "42P07", "42P06", "42710", "42701", "42723").contains(fields.getOrDefault('C', ""));
    }

    /** PostgreSQL's serialization failure, lock timeout or deadlock as DSQL's OC000; DSQL's own errors trimmed. */
    static ByteBuf asDsqlConflict(ByteBuf message) {
        Map<Character, String> fields = errorFields(message);
        String code = fields.getOrDefault('C', "");
        String text = fields.getOrDefault('M', "");
        String dsqlText;
        if (code.equals("40001") && (text.endsWith("(OC000)") || text.endsWith("(OC001)"))) {
            dsqlText = text; // raised by the gateway's own DO block: drop its CONTEXT and source position
        } else if (code.equals("40001") || code.equals("55P03") || code.equals("40P01")) {
            dsqlText = OC000;
        } else {
            return message;
        }
        message.release();
        return errorMessage(fields.getOrDefault('S', "ERROR"), "40001", dsqlText);
    }

    // ------------------------------------------------------------------ wire helpers

    private static String raise(ConflictCode code) {
        return "DO $dsql_local$BEGIN RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = '" + code.message()
                + "'; END$dsql_local$";
    }

    private static ByteBuf extendedRollbackAndRaise(ConflictCode code) {
        ByteBuf b = Unpooled.buffer();
        for (String sql : new String[]{"ROLLBACK", raise(code)}) {
            byte[] q = sql.getBytes(StandardCharsets.UTF_8);
            b.writeByte('P').writeInt(4 + 1 + q.length + 1 + 2).writeByte(0).writeBytes(q).writeByte(0).writeShort(0);
            b.writeByte('B').writeInt(4 + 1 + 1 + 2 + 2 + 2).writeByte(0).writeByte(0).writeShort(0).writeShort(0)
                    .writeShort(0);
            b.writeByte('E').writeInt(4 + 1 + 4).writeByte(0).writeInt(0);
        }
        return b;
    }

    private static ByteBuf queryMessage(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer(6 + text.length);
        b.writeByte('Q').writeInt(4 + text.length + 1).writeBytes(text).writeByte(0);
        return b;
    }

    private static ByteBuf errorMessage(String severity, String sqlstate, String text) {
        ByteBuf body = Unpooled.buffer();
        field(body, 'S', severity);
        field(body, 'V', severity);
        field(body, 'C', sqlstate);
        field(body, 'M', text);
        body.writeByte(0);
        ByteBuf b = Unpooled.buffer(5 + body.readableBytes());
        b.writeByte('E').writeInt(4 + body.readableBytes()).writeBytes(body);
        body.release();
        return b;
    }

    private static void field(ByteBuf b, char code, String value) {
        b.writeByte(code).writeBytes(value.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }
}
