package dev.dsqllocal.concurrency;

import static dev.dsqllocal.concurrency.Conflict.asDsqlConflict;
import static dev.dsqllocal.concurrency.GatewayStatements.OWN;
import static dev.dsqllocal.concurrency.GatewayStatements.SAVEPOINT;
import static dev.dsqllocal.concurrency.GatewayStatements.SHORT_LOCK_WAIT;
import static dev.dsqllocal.concurrency.GatewayStatements.extendedRollbackAndRaise;
import static dev.dsqllocal.concurrency.GatewayStatements.ownStatement;
import static dev.dsqllocal.concurrency.GatewayStatements.rollbackAndRaise;
import static dev.dsqllocal.concurrency.Rerun.plain;
import static dev.dsqllocal.concurrency.StatementShapes.dmlTarget;
import static dev.dsqllocal.concurrency.StatementShapes.isCommit;
import static dev.dsqllocal.concurrency.StatementShapes.isRollback;
import static dev.dsqllocal.concurrency.StatementShapes.locksRows;

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
import dev.dsqllocal.pgwire.FrontendMessage.Sync;
import dev.dsqllocal.session.ClientRequest;
import dev.dsqllocal.session.ClientRequest.Part;
import dev.dsqllocal.session.ServerReply;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aurora DSQL's optimistic concurrency on top of PostgreSQL, a session policy that runs before the session's other
 * one (the dialect, or none): it sees each request first, and PostgreSQL's answers first.
 *
 * <ul>
 *   <li><b>OC000, decided at COMMIT.</b> Sessions run REPEATABLE READ with a short {@code lock_timeout} (set by
 *       the gateway at login), so a writer never waits long on another's row lock. In an open transaction, when
 *       another session could make it conflict ({@link #conflictPossible}), an UPDATE, DELETE, INSERT
 *       or locking SELECT runs inside the internal savepoint {@link GatewayStatements#SAVEPOINT}; if it meets a row lock (55P03,
 *       40P01) or a row committed after the snapshot (40001) it is rolled back to the savepoint, answered on its
 *       snapshot ({@link SnapshotStatements}) and deferred; its transaction's COMMIT then fails with OC000 or, when
 *       it was first, dooms the idle transactions whose locks it met and runs the deferred writes again before
 *       committing ({@link #judgeCommit}). A wrapped Execute ends its own group and the client's next messages
 *       wait for its answer ({@link #release}), so every statement of a batch is deferred on its own; a duplicate
 *       key an INSERT meets is probed for whether it is in the snapshot ({@link #probeKeys}). An autocommit write
 *       that meets an idle transaction's lock dooms it and runs again, an Execute in a transaction the gateway opens
 *       around the client's group ({@link #rerunAfterDooming}). Conflicts the gateway cannot defer keep PostgreSQL's answer: {@code 40001}, {@code 55P03} and
 *       {@code 40P01} reach the client as DSQL's {@code 40001 change conflicts with another transaction (OC000)}
 *       at the statement. The package documentation lists what is not deferred.</li>
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

    // Commit-time conflicts (see the class comment): all on the session's event loop unless marked volatile.
    private final AtomicLong clusterCommits;
    /** The client's Parse of each prepared statement and Bind of each portal, to run a statement again. */
    private final Map<String, Parse> parses = new HashMap<>();

    private final Map<String, Bind> binds = new HashMap<>();
    /** The open transaction, as other sessions of the cluster see it; null outside one. */
    private volatile Transaction txn;
    /** A COMMIT of the open transaction is in flight (read by other sessions judging their own COMMIT). */
    private volatile boolean committing;
    /** This transaction lost to another's COMMIT while running a statement: it is doomed once that ends. */
    private Transaction loseAfterStatement;
    /** The transactions this COMMIT dooms ({@link #judgeCommit}); spared if its own replay fails. */
    private final List<Transaction> doomedByThisCommit = new ArrayList<>();
    /** A statement is in flight (read by other sessions deciding whether a conflict is possible). */
    private volatile boolean busy;
    /** The writes this transaction deferred, to run again at COMMIT. */
    private final List<Rerun> deferred = new ArrayList<>();
    /** The transactions whose row locks the deferred writes met. */
    private final Set<Transaction> blockers = new HashSet<>();
    /** A deferred write met a row committed after this transaction's snapshot: its COMMIT fails with OC000. */
    private boolean mustFail;
    /** The client's COMMIT is to fail with OC000 when it executes. */
    private boolean failCommit;
    /** The client's statement running inside the internal savepoint, until it completes. */
    private WrappedStatement wrapped;
    /** Set in {@link #onClient}, applied in {@link #afterOthers} when no later policy replaced the request. */
    private Plan plan;
    /** A wrapped statement met a conflict: its answer is computed on the snapshot at its group's end. */
    private WrappedStatement deferral;
    /** The gateway's snapshot statement is answering in place of {@link #deferral}'s. */
    private WrappedStatement snapshotting;
    /** The deferred writes run again before the client's COMMIT; one of them failed. */
    private boolean replayFailed;

    private boolean replaying;
    /** An autocommit write that may meet another session's row lock: it is run again once the holder is doomed. */
    private Retry retry;

    private boolean retryPending;
    private boolean retrying;
    /** What dooms this session ({@link #whileDoomed}): OC001 for another session's DDL, OC000 for a lost conflict. */
    private Conflict doomedBy = Conflict.OC001;
    /** The client's last CommandComplete was a COMMIT (so the transaction ending now committed). */
    private boolean lastCommit;
    /** An autocommit write was sent since the last ReadyForQuery. */
    private boolean autocommitWrite;

    private Retry retryOf;
    /**
     * The gateway opened a transaction block around the client's autocommit group (an extended-protocol write met
     * other transactions' row locks possibly): it commits it just before the client's Sync.
     */
    private boolean gatewayTransaction;
    /** The wrapped Execute whose group the client has not ended yet (no Sync after it so far). */
    private WrappedStatement openWrap;
    /** The client's messages are held until the wrapped statement's outcome is known and acted on ({@link #release}). */
    private boolean holding;
    /** The gateway's own Sync after a wrapped Execute is on its way ({@link #holdForOutcome}). */
    private boolean awaitingOwnSync;
    /** A write in the gateway's transaction met a row lock: it runs again once the holders are doomed. */
    private WrappedStatement rerunning;
    /**
     * A wrapped INSERT met a duplicate key: whether that key is in the transaction's snapshot (a true duplicate) or
     * was committed after it (a conflict DSQL reports at COMMIT) is being asked of PostgreSQL ({@link #probeKeys}).
     */
    private WrappedStatement probing;
    /** The probe of {@link #probing} failed with a serialization failure: the key is not in the snapshot. */
    private boolean keyCommittedAfterSnapshot;

    /** The tuple whose lock the watched autocommit write ({@link #retryOf}) gave up waiting for, if named. */
    private RowLockHolders.Tuple retryBlockedAt;
    /** The gateway is asking PostgreSQL which transactions hold a row lock ({@link #findHolders}). */
    private HolderSearch holderSearch;

    /** A search for a row lock's holders: the table's open writers to fall back on, and what to do with the answer. */
    private static final class HolderSearch {
        final List<Transaction> byTable;
        final Consumer<List<Transaction>> then;
        Set<Integer> pids = Set.of();

        HolderSearch(List<Transaction> byTable, Consumer<List<Transaction>> then) {
            this.byTable = byTable;
            this.then = then;
        }
    }

    /**
     * The statements of a client's simple Query still to run, one Query each ({@link PlanKind#SPLIT}): a conflict in
     * one is deferred without PostgreSQL skipping the rest; the client's next messages wait meanwhile.
     */
    private final List<StatementInfo> splitRest = new ArrayList<>();
    /** A client's Query is running split ({@link #splitRest}); the client is held until its last ReadyForQuery. */
    private boolean splitting;

    /** The client's transaction already runs with the short lock wait ({@link PlanKind#SHORT_WAIT}). */
    private boolean shortWaitSet;

    /** The gateway's own Sync before its COMMIT is on its way: its ReadyForQuery says nothing of the client's group. */
    private boolean closingGatewayTransaction;

    private static final byte DATA_ROW = 'D';
    private static final byte ROW_DESCRIPTION = 'T';
    /** Lock timeout, deadlock, serialization failure: what a write deferred to COMMIT may meet. */
    private static final Set<String> DEFERRED_CODES = Set.of("55P03", "40P01", "40001");

    /** An autocommit write (a simple Query) that may have to run again after the transaction holding its rows is doomed. */
    record Retry(StatementInfo info, Rerun rerun, String table) {}

    private enum PlanKind {
        WRAP,
        REPLAY,
        RETRY,
        /** The client's Sync (or transaction control) ends the gateway's transaction around an autocommit group. */
        END_GATEWAY_TRANSACTION,
        /**
         * A simple Query of several statements in a transaction where they may conflict: it runs one statement per
         * Query, each deferrable like a Query of its own ({@link #splitRest}).
         */
        SPLIT,
        /**
         * Statements the gateway cannot defer, that may meet another transaction's row lock: they run with the short
         * lock wait, and lose at once (OC000) instead of waiting for the session's.
         */
        SHORT_WAIT
    }

    private record Plan(PlanKind kind, WrappedStatement wrapped, Retry retry) {}

    public ConcurrencyPolicy(String clusterId, CommitFaults faults, CatalogVersions catalogs) {
        this.clusterId = clusterId;
        this.faults = faults;
        this.catalogs = catalogs;
        this.liveSessions = catalogs.sessions();
        this.seenCatalog = catalogs.current(clusterId); // a new session loads the catalog as it is now
        this.clusterCommits = liveSessions.commits(clusterId);
    }

    /** Runs before every session's policy of {@code inner}; the SQL and startup checks stay {@code inner}'s. */
    public static Factory factory(Factory inner, CommitFaults faults, CatalogVersions catalogs) {
        return new Factory() {
            @Override
            public SessionPolicy create(String clusterId, String user) {
                ConcurrencyPolicy occ = new ConcurrencyPolicy(clusterId, faults, catalogs);
                SessionPolicy then = inner.create(clusterId, user);
                return new SessionPolicy() {
                    @Override
                    public void onClient(Session session, ClientRequest request) {
                        occ.onClient(session, request);
                        if (request.forwarded() && then.inspectsMessages()) {
                            then.onClient(session, request);
                        }
                        occ.afterOthers(request);
                    }

                    @Override
                    public void onServer(Session session, ServerReply reply) {
                        occ.onServer(session, reply);
                        if (!reply.dropped() && then.inspectsMessages()) {
                            then.onServer(session, reply);
                        }
                    }

                    @Override
                    public void onClose(Session session) {
                        occ.onClose(session);
                        then.onClose(session);
                    }
                };
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
        plan = null;
        try {
            remember(request);
            if ((skipUntilSync || doomed) && whileDoomed(request)) {
                return;
            }
            if (openWrap != null && holdForOutcome(request)) {
                return;
            }
            switch (request.type()) {
                case FrontendMessage.QUERY -> {
                    busy = true;
                    if (request.statements().size() == 1
                            && isCommit(request.statements().get(0))) {
                        judgeCommit(request);
                    }
                    Conflict failure = decide(request.statements());
                    if (failure != null) {
                        request.replaceWithOwn(this, rollbackAndRaise(failure));
                        return;
                    }
                    ddl = sendsDdl;
                    if (request.statements().size() == 1 && plan == null) {
                        planFor(request.statements().get(0), null);
                    } else if (plan == null) {
                        planSplit(request.statements());
                    }
                }
                case FrontendMessage.BIND -> {
                    busy = true;
                    StatementInfo info = request.statement().orElse(null);
                    if (info != null && isCommit(info)) {
                        judgeCommit(request);
                    }
                }
                case FrontendMessage.EXECUTE -> {
                    busy = true;
                    StatementInfo info = request.statement().orElse(null);
                    Conflict failure = info == null ? null : decide(List.of(info));
                    if (failure != null) {
                        request.replaceWithOwn(this, extendedRollbackAndRaise(failure));
                        return;
                    }
                    ddl = sendsDdl;
                    if (gatewayTransaction && info != null && info.kind() == StatementKind.TRANSACTION_CONTROL) {
                        plan = new Plan(PlanKind.END_GATEWAY_TRANSACTION, null, null);
                    } else if (info != null) {
                        planFor(info, ((Execute) request.message()).portal());
                    }
                }
                case FrontendMessage.SYNC -> {
                    if (gatewayTransaction) {
                        plan = new Plan(PlanKind.END_GATEWAY_TRANSACTION, null, null);
                    }
                }
                case FrontendMessage.PARSE -> busy = true;
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
        Conflict by = doomedBy;
        doomedBy = Conflict.OC001;
        if (by == Conflict.OC001) {
            catalogChanged(); // the DDL that doomed the transaction, if it has committed, is the one reported now
        }
        touchedStorage = false;
        writeSet.clear();
        if (type == FrontendMessage.QUERY) {
            request.replaceWithOwn(this, rollbackAndRaise(by));
            return true;
        }
        skipUntilSync = true;
        request.replaceWithOwn(this, extendedRollbackAndRaise(by));
        return true;
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
        endTransaction(Transaction.State.ROLLED_BACK);
        doomed = true;
        doomedBy = Conflict.OC001;
        session.sendOwn(this, new Query("ROLLBACK"));
    }

    /**
     * Walks the statements about to be sent: records their effects (BEGIN, written tables, DDL, storage touched)
     * and returns the code they must fail with instead (stale catalog, injected conflict), or null to let them
     * through.
     */
    private Conflict decide(List<StatementInfo> infos) {
        sendsDdl = false;
        boolean inTransaction = inTransaction();
        if (!inTransaction) {
            touchedStorage = false;
        }
        for (StatementInfo info : infos) {
            String command = info.command();
            if (info.kind() == StatementKind.TRANSACTION_CONTROL) {
                if (command.equals("BEGIN") || command.equals("START TRANSACTION")) {
                    inTransaction = true;
                    began = true;
                    if (txn == null) {
                        txn = new Transaction(this, clusterCommits.get());
                    }
                } else if (command.equals("COMMIT") || command.equals("END")) {
                    if (inTransaction) {
                        if (failCommit) {
                            failCommit = false; // a deferred write lost (judgeCommit)
                            return Conflict.OC000;
                        }
                        // The catalog changed after this transaction read or wrote through it: DSQL's COMMIT fails.
                        if (touchedStorage && catalogChanged()) {
                            return Conflict.OC001;
                        }
                        Optional<Conflict> injected = faults.takeCommitConflict(clusterId, writeSet);
                        if (injected.isPresent()) {
                            return injected.get();
                        }
                        committing = true;
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
            Transaction open = txn;
            if (!info.lockingClauses().isEmpty() && inTransaction && open != null) {
                open.lockedRowsOf(SnapshotStatements.of(info)
                        .map(SnapshotStatements.Snapshot::table)
                        .orElse(null));
            }
            if (info.kind() == StatementKind.DML) {
                Optional<String> target = dmlTarget(info);
                target.ifPresent(writeSet::add);
                if (inTransaction && open != null) {
                    open.lockedRowsOf(target.map(StatementShapes::bareName).orElse(null));
                } else if (!inTransaction) {
                    autocommitWrite = true;
                }
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

    // ------------------------------------------------------------------ commit-time conflicts

    /** Keeps the client's Parse and Bind messages, so a statement can run again with its parameters. */
    private void remember(ClientRequest request) {
        FrontendMessage message = request.message();
        if (message instanceof Parse parse) {
            parses.put(parse.name(), parse);
        } else if (message instanceof Bind bind) {
            binds.put(bind.portal(), bind);
        }
    }

    /** In the client's transaction (not the gateway's around an autocommit group). */
    private boolean inTransaction() {
        return (lastStatus != 'I' && !gatewayTransaction) || began;
    }

    /**
     * Plans what the statement about to run needs: in an open transaction, an UPDATE, DELETE or locking SELECT runs
     * inside the internal savepoint when another session could make it conflict (it holds row locks, runs a
     * statement, or committed since this transaction began). An autocommit write that may meet another transaction's
     * row lock runs with a short lock wait and runs again once that transaction is doomed: a simple Query as it
     * came, an Execute inside the savepoint of a transaction the gateway opens around the client's group (PostgreSQL
     * would skip the rest of the group after the first failure). Nothing is planned for a session alone on its
     * cluster.
     */
    private void planFor(StatementInfo info, String portal) {
        if (inTransaction()) {
            Transaction open = txn;
            if (lastStatus == 'E' || open == null || !locksRows(info) || !conflictPossible(open)) {
                return;
            }
            Optional<SnapshotStatements.Snapshot> snapshot = SnapshotStatements.of(info);
            Rerun rerun = rerunOf(info, portal);
            if (snapshot.isPresent() && rerun != null) {
                WrappedStatement w = new WrappedStatement(
                        info,
                        rerun,
                        snapshot.get(),
                        portal != null,
                        snapshot.get().table());
                plan = new Plan(PlanKind.WRAP, w, null);
            } else if (!shortWaitSet) {
                plan = new Plan(PlanKind.SHORT_WAIT, null, null);
            }
            return;
        }
        if (!locksRows(info) || (!gatewayTransaction && lockHolders(null).isEmpty())) {
            return;
        }
        Rerun rerun = rerunOf(info, portal);
        if (rerun == null) {
            return;
        }
        String table = info.kind() == StatementKind.DML
                ? dmlTarget(info).map(StatementShapes::bareName).orElse(null)
                : SnapshotStatements.of(info)
                        .map(SnapshotStatements.Snapshot::table)
                        .orElse(null);
        if (portal != null) {
            plan = new Plan(PlanKind.WRAP, new WrappedStatement(info, rerun, null, true, table), null);
        } else if (info.kind() == StatementKind.DML) {
            plan = new Plan(PlanKind.RETRY, null, new Retry(info, rerun, table));
        } else {
            plan = new Plan(PlanKind.SHORT_WAIT, null, null);
        }
    }

    /**
     * A simple Query of several statements that may meet another transaction's row lock. PostgreSQL would skip the
     * rest of it after one fails; so in an open transaction (where running its statements one Query each changes
     * nothing) it is split, unless it holds transaction control, DDL or statements of unknown kind. Otherwise (an
     * autocommit Query is one implicit transaction) they run with the short lock wait.
     */
    private void planSplit(List<StatementInfo> statements) {
        Transaction open = txn;
        if (inTransaction()
                && lastStatus == 'T'
                && open != null
                && statements.stream().anyMatch(StatementShapes::locksRows)
                && statements.stream().allMatch(ConcurrencyPolicy::splittable)
                && conflictPossible(open)) {
            plan = new Plan(PlanKind.SPLIT, null, null);
            return;
        }
        planShortWait(statements);
    }

    private static boolean splittable(StatementInfo info) {
        return info.kind() == StatementKind.DML
                || info.kind() == StatementKind.QUERY
                || info.kind() == StatementKind.SET
                || info.kind() == StatementKind.SHOW;
    }

    /**
     * One statement of a split Query, as a Query of its own: a deferrable write or locking SELECT inside the
     * internal savepoint ({@link #wrapped}), another statement that may meet a row lock with the short lock wait.
     */
    private List<Part> splitPart(StatementInfo info) {
        String sql = info.statement().text().strip();
        Optional<SnapshotStatements.Snapshot> snapshot = SnapshotStatements.of(info);
        if (locksRows(info) && snapshot.isPresent()) {
            wrapped = new WrappedStatement(
                    info,
                    new Rerun(sql, new int[0], null),
                    snapshot.get(),
                    false,
                    snapshot.get().table());
            return List.of(
                    Part.own("SAVEPOINT " + SAVEPOINT, null),
                    Part.own(SHORT_LOCK_WAIT, null),
                    Part.client(sql, info),
                    Part.own("RELEASE SAVEPOINT " + SAVEPOINT, null));
        }
        if (locksRows(info) && !shortWaitSet) {
            shortWaitSet = true;
            return List.of(Part.own(SHORT_LOCK_WAIT, null), Part.client(sql, info));
        }
        return List.of(Part.client(sql, info));
    }

    /** The next statement of a split Query, after the last one's ReadyForQuery (dropped) said the transaction is fine. */
    private void runNextSplit(char status) {
        lastStatus = status;
        session.sendForClient(this, splitPart(splitRest.remove(0)));
    }

    /**
     * When a simple Query of several statements cannot be split, and one of them may meet another transaction's row
     * lock, they run with the short lock wait.
     */
    private void planShortWait(List<StatementInfo> statements) {
        if (shortWaitSet || statements.stream().noneMatch(StatementShapes::locksRows)) {
            return;
        }
        Transaction open = txn;
        boolean contended = inTransaction()
                ? lastStatus != 'E' && open != null && conflictPossible(open)
                : !lockHolders(null).isEmpty();
        if (contended) {
            plan = new Plan(PlanKind.SHORT_WAIT, null, null);
        }
    }

    private Rerun rerunOf(StatementInfo info, String portal) {
        String sql = info.statement().text();
        if (portal == null) {
            return new Rerun(sql, new int[0], null);
        }
        Bind bind = binds.get(portal);
        Parse parse = bind == null ? null : parses.get(bind.statement());
        return parse == null ? null : new Rerun(sql, parse.parameterTypes(), bind);
    }

    private boolean conflictPossible(Transaction open) {
        if (clusterCommits.get() != open.commitsAtStart) {
            return true; // a row may have changed after this transaction's snapshot
        }
        for (ConcurrencyPolicy other : liveSessions.of(clusterId)) {
            Transaction t = other.txn;
            if (other != this && (other.busy || (t != null && t.open() && t.locksRows()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The other sessions' open transactions that hold row locks: those that wrote or locked rows of {@code table}
     * when there are any (the likely holders), else all of them (a foreign-key check locks rows of another table).
     */
    private List<Transaction> lockHolders(String table) {
        List<Transaction> all = new ArrayList<>();
        List<Transaction> same = new ArrayList<>();
        for (ConcurrencyPolicy other : liveSessions.of(clusterId)) {
            Transaction t = other.txn;
            if (other != this && t != null && t.open() && t.locksRows()) {
                all.add(t);
                if (t.locksRowsOf(table)) {
                    same.add(t);
                }
            }
        }
        return same.isEmpty() ? all : same;
    }

    /** Applies the plan once every policy has let the request through unchanged. */
    void afterOthers(ClientRequest request) {
        Plan p = plan;
        plan = null;
        if (p == null || !request.forwarded()) {
            return;
        }
        switch (p.kind()) {
            case WRAP -> {
                wrapped = p.wrapped();
                if (request.type() == FrontendMessage.QUERY) {
                    request.replaceWithQuery(
                            this,
                            List.of(
                                    Part.own("SAVEPOINT " + SAVEPOINT, null),
                                    Part.own(SHORT_LOCK_WAIT, null),
                                    Part.client(p.wrapped().info.statement().text(), p.wrapped().info),
                                    Part.own("RELEASE SAVEPOINT " + SAVEPOINT, null)));
                    return;
                }
                // An Execute: should the client send more than a Sync after it before its outcome is known, those
                // messages wait for it (holdForOutcome).
                List<FrontendMessage> before = new ArrayList<>();
                if (p.wrapped().inGatewayTransaction() && !gatewayTransaction) {
                    before.addAll(ownStatement(plain("BEGIN")));
                    gatewayTransaction = true;
                }
                before.addAll(ownStatement(plain("SAVEPOINT " + SAVEPOINT)));
                before.addAll(ownStatement(plain(SHORT_LOCK_WAIT)));
                request.surround(this, before, ownStatement(plain("RELEASE SAVEPOINT " + SAVEPOINT)));
                openWrap = p.wrapped();
            }
            case END_GATEWAY_TRANSACTION -> {
                // Its own Sync first: after an error PostgreSQL skips to a Sync, and the COMMIT (a ROLLBACK then)
                // must run whatever happened.
                List<FrontendMessage> before = new ArrayList<>(List.of(Sync.INSTANCE));
                before.addAll(ownStatement(plain("COMMIT")));
                request.surround(this, before, List.of());
                gatewayTransaction = false;
                closingGatewayTransaction = true;
                lastStatus = 'I'; // what the COMMIT leaves, whatever the own Sync's ReadyForQuery says before it
            }
            case REPLAY -> {
                // The losers' rollbacks may still be on their way: wait for their locks as long as the session would.
                List<FrontendMessage> messages =
                        new ArrayList<>(ownStatement(plain("SET LOCAL lock_timeout = DEFAULT")));
                for (Rerun rerun : deferred) {
                    messages.addAll(ownStatement(rerun));
                }
                messages.add(Sync.INSTANCE);
                request.surround(this, messages, List.of());
                replaying = true;
                replayFailed = false;
            }
            case SPLIT -> {
                List<StatementInfo> all = request.statements();
                splitRest.addAll(all.subList(1, all.size()));
                splitting = true;
                session.holdClient(); // a pipelined request must not overtake the rest of this one
                request.replaceWithQuery(this, splitPart(all.get(0)));
            }
            case SHORT_WAIT -> {
                if (request.type() == FrontendMessage.QUERY) {
                    List<Part> parts = new ArrayList<>();
                    parts.add(Part.own(SHORT_LOCK_WAIT, null));
                    for (StatementInfo info : request.statements()) {
                        parts.add(Part.client(info.statement().text(), info));
                    }
                    request.replaceWithQuery(this, parts);
                } else {
                    request.surround(this, ownStatement(plain(SHORT_LOCK_WAIT)), List.of());
                }
                shortWaitSet = inTransaction(); // SET LOCAL lasts until the transaction ends
            }
            case RETRY -> {
                retry = p.retry();
                request.replaceWithQuery(
                        this,
                        List.of(
                                Part.own(SHORT_LOCK_WAIT, null),
                                Part.client(
                                        p.retry().info().statement().text(),
                                        p.retry().info())));
            }
        }
    }

    /**
     * The client's COMMIT of a transaction with deferred writes: it fails (OC000, when it executes) if a write met a
     * row committed after the snapshot, or a transaction whose locks it met has committed since or is committing
     * (the first committer won); otherwise those transactions lose: they are rolled back on PostgreSQL's side and
     * doomed (one running a statement once it ends), and the deferred writes run again, on this transaction's
     * unchanged snapshot, just before the COMMIT (a write that fails there, such as one that waited longer than the
     * lock timeout for a loser's statement, fails the COMMIT).
     */
    private void judgeCommit(ClientRequest request) {
        if (txn == null || (deferred.isEmpty() && !mustFail)) {
            return;
        }
        boolean fail = mustFail;
        List<Transaction> losers = new ArrayList<>();
        for (Transaction b : blockers) {
            switch (b.state()) {
                case COMMITTED -> fail = true;
                case OPEN -> {
                    if (b.owner.busy && b.owner.committing) {
                        fail = true;
                    } else {
                        losers.add(b);
                    }
                }
                default -> {}
            }
        }
        if (fail) {
            LOG.debug("Session on cluster {}: a deferred write lost, the COMMIT fails", clusterId);
            failCommit = true;
            return;
        }
        for (Transaction loser : losers) {
            doom(loser);
        }
        doomedByThisCommit.addAll(losers);
        plan = new Plan(PlanKind.REPLAY, null, null);
    }

    /**
     * This COMMIT failed after all (a replayed write waited longer than the lock timeout for a loser's statement, or
     * met a row another committed): the losers still running a statement keep their transactions, so that one of
     * the two commits, as in DSQL.
     */
    private void spareLosers() {
        for (Transaction loser : doomedByThisCommit) {
            ConcurrencyPolicy owner = loser.owner;
            Session s = owner.session;
            if (s != null) {
                s.execute(() -> owner.spare(loser));
            }
        }
        doomedByThisCommit.clear();
    }

    /** On this session's event loop: another's COMMIT that doomed this transaction after its statement failed. */
    void spare(Transaction loser) {
        if (loseAfterStatement == loser) {
            loseAfterStatement = null;
        }
    }

    private static void doom(Transaction loser) {
        ConcurrencyPolicy owner = loser.owner;
        Session s = owner.session;
        if (s != null) {
            s.execute(() -> owner.doomForConflict(loser));
        }
    }

    /**
     * On this session's event loop: another transaction committed first over rows this transaction holds, so it is
     * rolled back on PostgreSQL's side and doomed: its client's next request fails with OC000 (a ROLLBACK is
     * answered normally). A session running a statement is rolled back when the statement ends ({@link
     * #readyForQuery}); the winner's writes wait for its locks meanwhile.
     */
    void doomForConflict(Transaction loser) {
        if (closed || doomed || txn != loser) {
            return;
        }
        if (skipUntilSync || session.awaitingReplies() || (lastStatus != 'T' && lastStatus != 'E')) {
            loseAfterStatement = loser;
            return;
        }
        LOG.debug("Session on cluster {}: open transaction lost a conflict and is rolled back", clusterId);
        endTransaction(Transaction.State.ROLLED_BACK);
        doomed = true;
        doomedBy = Conflict.OC000;
        session.sendOwn(this, new Query("ROLLBACK"));
    }

    private void endTransaction(Transaction.State how) {
        Transaction t = txn;
        if (t != null) {
            if (how == Transaction.State.COMMITTED && t.locksRows()) {
                clusterCommits.incrementAndGet();
            }
            t.end(how);
            txn = null;
        }
        deferred.clear();
        blockers.clear();
        mustFail = false;
    }

    /**
     * Follows the client's wrapped statement and watched autocommit write: a wrapped statement that met another
     * transaction's row lock (55P03, 40P01) or a row changed after its snapshot (40001), before sending any row and
     * not in a batch, is deferred (its error swallowed; answered at its group's end); a watched autocommit write
     * that met a row lock runs again at its group's end. Returns whether the reply was dropped here.
     */
    private boolean watchConflict(ServerReply reply) {
        if (reply.answersOwnOf(this)) {
            return false;
        }
        StatementInfo answered = reply.statement().orElse(null);
        byte type = reply.type();
        WrappedStatement w = wrapped;
        if (w != null && answered == w.info) {
            if (type == DATA_ROW) {
                w.rows++;
            } else if (type == BackendMessage.COMMAND_COMPLETE || type == BackendMessage.PORTAL_SUSPENDED) {
                wrapped = null;
            } else if (type == BackendMessage.ERROR_RESPONSE) {
                wrapped = null;
                String code = ((ErrorResponse) reply.message()).sqlState();
                if (w.rows == 0 && w.inGatewayTransaction() && (code.equals("55P03") || code.equals("40P01"))) {
                    w.blockedAt = RowLockHolders.blockedAt((ErrorResponse) reply.message())
                            .orElse(null);
                    rerunning = w; // an autocommit write: the holders lose, it runs again
                    reply.drop();
                    return true;
                }
                if (w.rows == 0 && !w.inGatewayTransaction() && code.equals("23505") && w.snapshot.insert()) {
                    probing = w;
                    reply.drop();
                    return true;
                }
                if (w.rows == 0 && !w.inGatewayTransaction() && DEFERRED_CODES.contains(code)) {
                    w.conflictCode = code;
                    w.blockedAt = RowLockHolders.blockedAt((ErrorResponse) reply.message())
                            .orElse(null);
                    defer(w);
                    reply.drop();
                    return true;
                }
            }
        }
        Retry r = retry;
        if (r != null && answered == r.info() && type == BackendMessage.ERROR_RESPONSE) {
            retry = null;
            String code = ((ErrorResponse) reply.message()).sqlState();
            if (code.equals("55P03") || code.equals("40P01")) {
                retryPending = true;
                retryOf = r;
                retryBlockedAt = RowLockHolders.blockedAt((ErrorResponse) reply.message())
                        .orElse(null);
                reply.drop();
                return true;
            }
        }
        return false;
    }

    private void defer(WrappedStatement w) {
        deferral = w;
        deferred.add(w.rerun);
        if (w.conflictCode.equals("40001")) {
            mustFail = true; // the row changed after this snapshot: DSQL fails this COMMIT whatever happens
        }
        // Otherwise the transactions holding the row are found at the group's end (answerOnSnapshot).
    }

    /**
     * Finds the open transactions that hold the row lock a statement gave up waiting for, then hands them to {@code
     * then}: asked of PostgreSQL when its error named the tuple ({@link RowLockHolders}; {@code rollbackToSavepoint}
     * first when the transaction is aborted inside the internal savepoint), else, or when the holder is no session
     * of this cluster, the other sessions' open transactions that wrote or locked rows of {@code table}. An empty
     * list: the holder was an autocommit statement or a transaction that has ended.
     */
    private void findHolders(
            RowLockHolders.Tuple tuple, String table, boolean rollbackToSavepoint, Consumer<List<Transaction>> then) {
        List<Transaction> byTable = lockHolders(table);
        if (tuple == null) {
            then.accept(byTable);
            return;
        }
        holderSearch = new HolderSearch(byTable, then);
        String rollback = rollbackToSavepoint ? "ROLLBACK TO SAVEPOINT " + SAVEPOINT + ";\n" : "";
        session.sendOwn(this, new Query(rollback + RowLockHolders.query(tuple)));
    }

    /** The answers to {@link #findHolders}' query are the gateway's; at its end, the holders are known. */
    private void followHolderSearch(ServerReply reply) {
        reply.drop();
        HolderSearch search = holderSearch;
        if (reply.message() instanceof NoticeResponse notice) {
            RowLockHolders.pids(notice).ifPresent(pids -> search.pids = pids);
            return;
        }
        if (reply.type() != BackendMessage.READY_FOR_QUERY) {
            return;
        }
        holderSearch = null;
        lastStatus = ((ReadyForQuery) reply.message()).status();
        boolean known = false;
        List<Transaction> holders = new ArrayList<>();
        for (ConcurrencyPolicy other : liveSessions.of(clusterId)) {
            Session s = other.session;
            if (other != this && s != null && search.pids.contains(s.backendProcessId())) {
                known = true;
                Transaction t = other.txn;
                if (t != null && t.open()) {
                    holders.add(t);
                }
            }
        }
        search.then.accept(known ? holders : search.byTable);
    }

    /**
     * At the end of a deferred statement's group: undoes it to the savepoint (the transaction lives on) and runs its
     * snapshot statement, whose answers stand in for the client's ({@link #answerInPlace}).
     */
    private void answerOnSnapshot() {
        WrappedStatement w = deferral;
        deferral = null;
        if (!w.conflictCode.equals("40001")) {
            findHolders(w.blockedAt, w.table, true, holders -> {
                if (holders.isEmpty()) {
                    mustFail = true; // the lock was an autocommit statement's (or a transaction that ended): it won
                } else {
                    blockers.addAll(holders);
                }
            });
        }
        snapshotting = w;
        List<FrontendMessage> messages = new ArrayList<>();
        messages.addAll(ownStatement(plain("ROLLBACK TO SAVEPOINT " + SAVEPOINT)));
        messages.addAll(ownStatement(plain("RELEASE SAVEPOINT " + SAVEPOINT)));
        Bind bind = w.rerun.bind();
        boolean rows = w.snapshot.tag() == null || w.snapshot.returning();
        short[] results = !rows || bind == null ? new short[0] : bind.resultFormats();
        List<FrontendMessage> snapshot =
                new ArrayList<>(ownStatement(new Rerun(w.snapshot.sql(), w.rerun.types(), bind), results));
        if (answersWithRows(w, ROW_DESCRIPTION)) {
            // Described for the client: PostgreSQL sends a RETURNING's description only once the write has run.
            snapshot.add(snapshot.size() - 1, new FrontendMessage.Describe('P', OWN));
        }
        messages.addAll(snapshot);
        messages.add(Sync.INSTANCE);
        session.sendOwn(this, messages);
    }

    /** At the end of a watched autocommit write's Query: dooms the idle transactions holding its rows, runs it again. */
    private void runAgain() {
        Retry r = retryOf;
        retryPending = false;
        retryOf = null;
        findHolders(retryBlockedAt, r.table(), false, holders -> holders.forEach(ConcurrencyPolicy::doom));
        retrying = true;
        autocommitWrite = true;
        session.sendOwn(this, new Query(r.rerun().sql()));
    }

    /**
     * At the own Sync after an autocommit write in the gateway's transaction met a row lock: dooms the idle
     * transactions holding its rows and runs it again from the savepoint, with the session's own lock wait (the
     * doomed transactions' rollbacks may still be on their way); its answers are the client's.
     */
    private void rerunAfterDooming() {
        findHolders(rerunning.blockedAt, rerunning.table, true, holders -> holders.forEach(ConcurrencyPolicy::doom));
        autocommitWrite = true;
        List<FrontendMessage> messages = new ArrayList<>(ownStatement(plain("ROLLBACK TO SAVEPOINT " + SAVEPOINT)));
        // An earlier write of the group left the short wait set: wait for the losers' rollbacks as the session would.
        messages.addAll(ownStatement(plain("SET LOCAL lock_timeout = DEFAULT")));
        messages.addAll(ownStatement(rerunning.rerun));
        messages.addAll(ownStatement(plain("RELEASE SAVEPOINT " + SAVEPOINT)));
        messages.add(Sync.INSTANCE);
        session.sendOwn(this, messages);
    }

    /**
     * At the end of the group of a wrapped INSERT that met a duplicate key: PostgreSQL checks uniqueness against
     * committed rows, DSQL against the snapshot. From the savepoint, the same INSERT with {@code ON CONFLICT DO
     * NOTHING} tells them apart: under REPEATABLE READ it fails with a serialization failure when a conflicting row
     * is not visible to the transaction's snapshot (PostgreSQL's {@code ExecCheckTupleVisible}), and skips the rows
     * otherwise.
     */
    private void probeKeys() {
        keyCommittedAfterSnapshot = false;
        Rerun insert = probing.rerun;
        String sql = insert.sql().strip();
        while (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
        }
        List<FrontendMessage> messages = new ArrayList<>(ownStatement(plain("ROLLBACK TO SAVEPOINT " + SAVEPOINT)));
        messages.addAll(
                ownStatement(new Rerun(sql + "\nON CONFLICT DO NOTHING", insert.types(), insert.bind()), new short[0]));
        messages.add(Sync.INSTANCE);
        session.sendOwn(this, messages);
    }

    /**
     * The probe's answers are the gateway's. At its end: a key committed after the snapshot defers the INSERT (its
     * COMMIT fails with OC000) and answers it on the snapshot; a true duplicate runs the INSERT again from before the
     * savepoint, so the client gets PostgreSQL's own 23505 and the transaction is aborted as it would be.
     */
    private void followProbe(ServerReply reply) {
        reply.drop();
        if (reply.message() instanceof ErrorResponse error) {
            keyCommittedAfterSnapshot = error.sqlState().equals("40001");
        } else if (reply.type() == BackendMessage.READY_FOR_QUERY) {
            WrappedStatement w = probing;
            probing = null;
            if (keyCommittedAfterSnapshot) {
                w.conflictCode = "40001";
                defer(w);
                answerOnSnapshot();
            } else {
                rerunning = w;
                List<FrontendMessage> messages =
                        new ArrayList<>(ownStatement(plain("ROLLBACK TO SAVEPOINT " + SAVEPOINT)));
                messages.addAll(ownStatement(plain("RELEASE SAVEPOINT " + SAVEPOINT)));
                messages.addAll(ownStatement(w.rerun));
                messages.add(Sync.INSTANCE);
                session.sendOwn(this, messages);
            }
        }
    }

    /**
     * The client's next message after a wrapped Execute. A Sync ends the client's group, and a conflict is answered at
     * its ReadyForQuery, as for a simple Query. Anything else (the rest of a batch) would run, or be skipped after an
     * error, before the gateway could undo the statement to its savepoint: unless its outcome is already known and
     * needs nothing, the message is held back with the client's next ones, and the gateway ends the group with a Sync
     * of its own ({@link #afterOwnSync}). A write in the gateway's transaction holds back the Sync too, since the
     * COMMIT that goes before it must come after the write has run again.
     */
    private boolean holdForOutcome(ClientRequest request) {
        byte type = request.type();
        WrappedStatement w = openWrap;
        if (type == FrontendMessage.FLUSH) {
            return false;
        }
        openWrap = null;
        if ((type == FrontendMessage.SYNC && !w.inGatewayTransaction())
                || (wrapped == null && deferral == null && probing == null && rerunning == null)) {
            return false;
        }
        request.holdBack();
        holding = true;
        session.holdClient();
        awaitingOwnSync = true;
        session.sendOwn(this, List.of(Sync.INSTANCE));
        return true;
    }

    /** The gateway's own Sync after a wrapped Execute has answered: the outcome is acted on, then the client resumes. */
    private void afterOwnSync(char status) {
        lastStatus = status;
        if (deferral != null) {
            answerOnSnapshot();
        } else if (probing != null) {
            probeKeys();
        } else if (rerunning != null) {
            rerunAfterDooming();
        } else {
            release(status);
        }
    }

    /**
     * The wrapped Execute's group (and the gateway's answer in its place, if any) has ended: the client's held
     * messages go on. After an error PostgreSQL would skip them up to the client's Sync; so does the gateway.
     */
    private void release(char status) {
        lastStatus = status;
        holding = false;
        if (status == 'E') {
            skipUntilSync = true;
        }
        session.resumeClient();
    }

    /** Answers of the gateway's own group that stand in for the client's statement (snapshot answer, retry). */
    private void answerInPlace(ServerReply reply) {
        switch (reply.type()) {
            case BackendMessage.PARSE_COMPLETE, BackendMessage.BIND_COMPLETE, BackendMessage.CLOSE_COMPLETE ->
                reply.drop();
            case BackendMessage.COMMAND_COMPLETE -> {
                String tag = ((CommandComplete) reply.message()).tag();
                if (snapshotting != null) {
                    String writeTag = snapshotting.snapshot.tag();
                    if (tag.equals("ROLLBACK") || tag.equals("RELEASE") || tag.equals("SET")) {
                        reply.drop();
                    } else if (writeTag != null && tag.startsWith("SELECT ")) {
                        reply.replaceWith(new CommandComplete(writeTag + " " + tag.substring("SELECT ".length())));
                    }
                } else if (rerunning != null
                        && (tag.equals("ROLLBACK") || tag.equals("RELEASE") || tag.equals("SET"))) {
                    reply.drop();
                }
            }
            case DATA_ROW, ROW_DESCRIPTION -> {
                if (snapshotting != null && !answersWithRows(snapshotting, reply.type())) {
                    reply.drop(); // the rows a count is made of, or a description the client already has
                }
            }
            case BackendMessage.ERROR_RESPONSE -> {
                ErrorResponse error = (ErrorResponse) reply.message();
                ErrorResponse dsql = asDsqlConflict(error);
                if (dsql != error) {
                    reply.replaceWith(dsql);
                }
            }
            case BackendMessage.READY_FOR_QUERY -> {
                char status = ((ReadyForQuery) reply.message()).status();
                boolean splitGoesOn = !splitRest.isEmpty() && status == 'T';
                snapshotting = null;
                retrying = false;
                rerunning = null;
                quietRollback = false;
                if (holding) {
                    reply.drop(); // the client's group goes on
                    release(status);
                } else if (splitGoesOn) {
                    reply.drop();
                    runNextSplit(status);
                } else {
                    readyForQuery(status);
                }
            }
            default -> {}
        }
    }

    /**
     * Whether a row or description of a snapshot statement is part of the client's answer: a write's count is not;
     * a description is not when the client has it already (from its Describe, or sent by PostgreSQL before a
     * locking SELECT waited), but is for a write's RETURNING over a simple Query, which PostgreSQL describes only
     * once the write has run.
     */
    private static boolean answersWithRows(WrappedStatement w, byte type) {
        SnapshotStatements.Snapshot s = w.snapshot;
        if (type == DATA_ROW) {
            return s.tag() == null || s.returning();
        }
        return s.returning() && !w.extended;
    }

    // ------------------------------------------------------------------ server → client

    @Override
    public void onServer(Session s, ServerReply reply) {
        byte type = reply.type();
        try {
            if (awaitingOwnSync && type == BackendMessage.READY_FOR_QUERY && reply.answersInjectedBy(this)) {
                awaitingOwnSync = false;
                reply.drop();
                afterOwnSync(((ReadyForQuery) reply.message()).status());
                return;
            }
            if (holderSearch != null && reply.answersInjectedBy(this)) {
                followHolderSearch(reply);
                return;
            }
            if (probing != null && reply.answersInjectedBy(this)) {
                followProbe(reply);
                return;
            }
            if ((snapshotting != null || retrying || rerunning != null) && reply.answersInjectedBy(this)) {
                answerInPlace(reply);
                return;
            }
            if (watchConflict(reply)) {
                return;
            }
            switch (type) {
                case BackendMessage.PARSE_COMPLETE, BackendMessage.BIND_COMPLETE, BackendMessage.CLOSE_COMPLETE -> {
                    if (reply.answersOwnOf(this)) {
                        reply.drop();
                    }
                }
                case BackendMessage.COMMAND_COMPLETE,
                        BackendMessage.EMPTY_QUERY_RESPONSE,
                        BackendMessage.PORTAL_SUSPENDED -> {
                    if (reply.message() instanceof CommandComplete c && !reply.answersOwnOf(this)) {
                        if (c.tag().equals("ROLLBACK")) {
                            ddlPending = false;
                            if (replaying && replayFailed) {
                                // PostgreSQL ended the aborted transaction; DSQL's COMMIT fails.
                                replaying = false;
                                reply.replaceWith(ErrorResponse.of("ERROR", "40001", OC000, null, null));
                                return;
                            }
                        }
                        lastCommit = c.tag().equals("COMMIT");
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
                    if (replaying && reply.answersOwnOf(this)) {
                        replayFailed = true; // the COMMIT that follows finds the transaction aborted
                        spareLosers();
                        reply.drop();
                        return;
                    }
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
                        busy = session != null && session.awaitingReplies();
                        reply.drop();
                        return;
                    }
                    if (reply.answersOwnOf(this)) {
                        // The end of a group the gateway added inside the client's: a replay, a wrapped Execute.
                        if (closingGatewayTransaction) {
                            closingGatewayTransaction = false;
                        } else {
                            lastStatus = status;
                        }
                        reply.drop();
                        return;
                    }
                    if (deferral != null) {
                        reply.drop();
                        answerOnSnapshot();
                        return;
                    }
                    if (probing != null) {
                        reply.drop();
                        probeKeys();
                        return;
                    }
                    if (retryPending) {
                        reply.drop();
                        runAgain();
                        return;
                    }
                    if (!splitRest.isEmpty() && status == 'T') {
                        reply.drop(); // the client's Query goes on
                        runNextSplit(status);
                        return;
                    }
                    quietRollback = false;
                    readyForQuery(status);
                }
                case DATA_ROW -> {
                    if (reply.answersOwnOf(this)) {
                        reply.drop(); // rows of the gateway's own statements (a replayed locking SELECT)
                    }
                }
                default -> {} // descriptions answer a Describe, which the session does not follow: the client's
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not apply optimistic concurrency to a server message, passing it on: {}", e.toString());
        }
    }

    private void readyForQuery(char status) {
        lastStatus = status;
        began = false;
        gatewayTransaction = false;
        if (splitting) {
            splitting = false;
            splitRest.clear(); // after an error PostgreSQL would have skipped them
            session.resumeClient();
        }
        if (status == 'I') {
            shortWaitSet = false;
        }
        wrapped = null;
        retry = null;
        replaying = false;
        replayFailed = false;
        if (status == 'I') {
            endTransaction(lastCommit ? Transaction.State.COMMITTED : Transaction.State.ROLLED_BACK);
            if (autocommitWrite) {
                clusterCommits.incrementAndGet();
            }
            failCommit = false;
            if (ddlPending) {
                // This session's DDL committed: every other session's catalog is now stale, its own is not.
                seenCatalog = catalogs.bump(clusterId);
                ddlPending = false;
            }
            writeSet.clear();
        }
        autocommitWrite = false;
        lastCommit = false;
        committing = false;
        doomedByThisCommit.clear();
        busy = session != null && session.awaitingReplies();
        Transaction lost = loseAfterStatement;
        loseAfterStatement = null;
        if (lost != null) {
            doomForConflict(lost);
        }
    }

    @Override
    public void onClose(Session s) {
        closed = true;
        endTransaction(Transaction.State.ROLLED_BACK);
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
}
