/**
 * Aurora DSQL's optimistic concurrency control approximated on PostgreSQL 16 (REPEATABLE READ).
 *
 * <p>{@link dev.dsqllocal.concurrency.ConcurrencyPolicy} runs before every session's other policy (dialect or
 * none; wired in {@code SqlGatewayFactory}), on the requests the gateway's session decoded and classified once;
 * injected commit failures come through {@link dev.dsqllocal.concurrency.CommitFaults}; the gateway starts each backend with
 * {@code -c lock_timeout=100ms} appended to the client's {@code options}.
 *
 * <h2>Approximations (vs real DSQL)</h2>
 * <ul>
 *   <li>OC000 is decided at COMMIT, first committer wins ({@link dev.dsqllocal.concurrency.ConcurrencyPolicy},
 *       {@link dev.dsqllocal.concurrency.Transaction}, {@link dev.dsqllocal.concurrency.SnapshotStatements}). Each
 *       session publishes its open transaction (whether it holds row locks, on which tables, how it ended) and the
 *       cluster counts committed writing transactions. In an open transaction an UPDATE, DELETE, INSERT
 *       or locking SELECT is sent inside the internal savepoint {@code dsql_local_w} (pipelined in the same round
 *       trip, the gateway's answers swallowed) only when another session could make it conflict: one holds row
 *       locks or runs a statement, or a write committed since this transaction began. A session alone on its
 *       cluster sends its statements as they came. A wrapped statement that fails with 55P03 (the 100 ms lock
 *       timeout, 5 ms inside the savepoint), 40P01 or 40001 before sending rows is rolled back to the savepoint and answered on its snapshot
 *       (its snapshot statement's rows, or their count as the write's tag) and recorded as deferred, with the
 *       transactions holding the row it met as its blockers (see below). At COMMIT:
 *       a 40001 (row committed after the snapshot), a blocker that committed, or one committing fails
 *       the COMMIT with OC000; otherwise the blockers are rolled back on PostgreSQL's side (one running a statement
 *       once it ends, and spared if the winner's replay then fails) and doomed (their
 *       next request fails with OC000; a ROLLBACK is answered normally), and the deferred writes run again before
 *       the client's COMMIT, on the unchanged snapshot (a failure there turns the COMMIT's ROLLBACK into OC000).
 *       A wrapped Execute is followed by an own Sync and the session holds the client's next messages
 *       ({@code Session.holdClient}) until it is answered, so a batch's later statements run after the savepoint
 *       is restored instead of being skipped. An INSERT ... VALUES that meets a duplicate key (23505) is probed from
 *       the savepoint with {@code ON CONFLICT DO NOTHING}: a serialization failure means the key is not in the
 *       snapshot (committed after it: deferred, its COMMIT fails), else it is a true duplicate and the INSERT runs
 *       again for PostgreSQL's own 23505. An autocommit write that meets an open transaction's lock (5 ms) dooms
 *       the idle holders and runs again: a simple Query as it came; an Execute inside a transaction the gateway
 *       opens around the client's group ({@code BEGIN} before the first such write, {@code COMMIT} before the
 *       client's Sync), so a batch stays one transaction.</li>
 *   <li>Not deferred (OC000 at the statement after the lock timeout; while another session could make them conflict
 *       they run with the 5 ms lock wait, {@code SET LOCAL} once per transaction): INSERT ... RETURNING,
 *       UPDATE ... FROM ... RETURNING, CTE writes, WHERE CURRENT OF, and a conflict in a multi-statement simple
 *       Query outside a transaction (one implicit transaction; in a transaction such a Query is split into one
 *       Query per statement, the client held meanwhile, so each is deferred on its own). A deferred
 *       write is not visible to its own transaction's later reads. The transactions a conflict dooms are the ones
 *       holding the row ({@link dev.dsqllocal.concurrency.RowLockHolders}: the tuple PostgreSQL's lock-timeout error
 *       names, its xmax, pg_locks); where the error names no heap tuple (a unique-index wait) every open writer of
 *       the table is taken, so an unrelated one may lose; an autocommit INSERT of a key whose row an open
 *       transaction has updated waits on that transaction's lock and dooms it before failing with 23505. Injected
 *       conflicts fail at COMMIT (or at the autocommit statement).</li>
 *   <li>OC001: a per-cluster catalog version ({@link dev.dsqllocal.concurrency.CatalogVersions}) is bumped when a
 *       session's DDL (the dialect classifier's {@code DDL} kind: schema changes, GRANT/REVOKE, {@code AWS IAM
 *       GRANT/REVOKE}, {@code CREATE INDEX ASYNC}) commits; DDL that failed, was rolled back, or did nothing
 *       ({@code IF [NOT] EXISTS} with PostgreSQL's "..., skipping" notice) does not bump it. Every other session
 *       then fails once with OC001 on its next statement that touches storage, autocommit or not, or at the COMMIT
 *       of a transaction that touched storage before the change. Which statements "touch storage" is the
 *       emulator's reading ({@link dev.dsqllocal.concurrency.StorageAccess}): {@code SELECT 1}-like queries,
 *       SET/SHOW/RESET, transaction control, DISCARD and empty queries (pool validation) never fail. An
 *       {@code ASYNC} index build or validation stays pending until its job runs (after {@code --async-job-delay},
 *       or at {@code CALL sys.wait_for_job}); only the submitting DDL's commit bumps the catalog version, and the
 *       job's completion (which AWS documents as a catalog update that can fail other sessions) raises no OC001
 *       here. The check happens when the statement is sent: a change committed while it runs
 *       is seen by the next one.</li>
 *   <li>DDL wins as in DSQL by ending the others first: PostgreSQL's DDL needs an ACCESS EXCLUSIVE lock, so when
 *       a session sends DDL the gateway rolls back every other session's open, idle transaction that has touched
 *       storage (its client then gets OC001 on its next statement or COMMIT; a ROLLBACK is answered normally). Any
 *       DDL does this, even one that then fails or does nothing, and a doomed session's next statement fails even
 *       if it touches no storage (its transaction is gone). A session busy running a statement is not touched, so
 *       DDL on a table it uses waits up to the lock timeout and fails with OC000 itself.</li>
 *   <li>{@code SHOW lock_timeout} shows the gateway's 100 ms.</li>
 * </ul>
 */
package dev.dsqllocal.concurrency;
