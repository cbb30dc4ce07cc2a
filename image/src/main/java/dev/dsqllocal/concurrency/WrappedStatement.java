package dev.dsqllocal.concurrency;

import dev.dsqllocal.sql.StatementInfo;

/**
 * The client's statement run inside the internal savepoint: in the client's transaction (answered on its
 * {@code snapshot} if it meets a conflict) or, for an autocommit write, in the gateway's ({@code snapshot} null:
 * it runs again once the transactions holding its rows are doomed).
 */
final class WrappedStatement {
    final StatementInfo info;
    final Rerun rerun;
    final SnapshotStatements.Snapshot snapshot;
    final boolean extended;
    /** The table it writes or locks rows of (null when unknown): whose open writers may hold its rows. */
    final String table;

    int rows;
    String conflictCode;
    /** The tuple whose lock it gave up waiting for, when PostgreSQL named it. */
    RowLockHolders.Tuple blockedAt;

    WrappedStatement(
            StatementInfo info, Rerun rerun, SnapshotStatements.Snapshot snapshot, boolean extended, String table) {
        this.info = info;
        this.rerun = rerun;
        this.snapshot = snapshot;
        this.extended = extended;
        this.table = table;
    }

    boolean inGatewayTransaction() {
        return snapshot == null;
    }
}
