package dev.dsqllocal.concurrency;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One session's transaction as the other sessions of its cluster see it: whether it holds row locks (it has sent a
 * write or a locking SELECT), on which tables, and how it ended. Written by its own session's event loop, read from
 * others' (hence volatile).
 */
final class Transaction {
    enum State {
        OPEN,
        COMMITTED,
        ROLLED_BACK
    }

    final ConcurrencyPolicy owner;
    /** The cluster's commit count when the transaction began: a later count means a commit after its snapshot. */
    final long commitsAtStart;

    private final Set<String> lockedTables = ConcurrentHashMap.newKeySet();
    private volatile boolean locksRows;
    private volatile State state = State.OPEN;

    Transaction(ConcurrencyPolicy owner, long commitsAtStart) {
        this.owner = owner;
        this.commitsAtStart = commitsAtStart;
    }

    void lockedRowsOf(String table) {
        if (table != null) {
            lockedTables.add(table);
        }
        locksRows = true;
    }

    boolean locksRows() {
        return locksRows;
    }

    boolean locksRowsOf(String table) {
        return table != null && lockedTables.contains(table);
    }

    boolean open() {
        return state == State.OPEN;
    }

    State state() {
        return state;
    }

    void end(State how) {
        if (state == State.OPEN) {
            state = how;
        }
    }
}
