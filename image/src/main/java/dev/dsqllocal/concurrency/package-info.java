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
 *   <li>OC000 is reported at the conflicting statement, not deferred to COMMIT: PostgreSQL has aborted its
 *       transaction when it detects the conflict, and answering "UPDATE 1" for a statement that did not run
 *       would lie about the data. Injected conflicts do fail at COMMIT (or at the autocommit statement).</li>
 *   <li>The loser is whoever touches a row second while the first writer is still open (after waiting up to
 *       100 ms for its lock), not necessarily the later committer; once the first has committed, the later
 *       writer loses, as in DSQL. {@code SELECT ... FOR UPDATE} of a row changed since the snapshot is OC000 at
 *       that statement. A deadlock pattern is broken by the lock timeout (OC000), never reported as 40P01.</li>
 *   <li>OC001: a per-cluster catalog version ({@link dev.dsqllocal.concurrency.CatalogVersions}) is bumped when a
 *       session's DDL (the dialect classifier's {@code DDL} kind: schema changes, GRANT/REVOKE, {@code AWS IAM
 *       GRANT/REVOKE}, {@code CREATE INDEX ASYNC}) commits; DDL that failed, was rolled back, or did nothing
 *       ({@code IF [NOT] EXISTS} with PostgreSQL's "..., skipping" notice) does not bump it. Every other session
 *       then fails once with OC001 on its next statement that touches storage, autocommit or not, or at the COMMIT
 *       of a transaction that touched storage before the change. Which statements "touch storage" is the
 *       emulator's reading ({@link dev.dsqllocal.concurrency.StorageAccess}): {@code SELECT 1}-like queries,
 *       SET/SHOW/RESET, transaction control, DISCARD and empty queries (pool validation) never fail. An
 *       {@code ASYNC} index build completes inside its own statement here, so its "index became valid" catalog
 *       change is the DDL's own. The check happens when the statement is sent: a change committed while it runs
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
