package dev.dsqllocal.concurrency;

import dev.dsqllocal.pgwire.BackendMessage.ErrorResponse;
import dev.dsqllocal.pgwire.BackendMessage.NoticeResponse;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which backends hold the row lock a statement gave up waiting for. PostgreSQL's lock-timeout error names the tuple
 * in its context ("while updating tuple (0,1) in relation "t"", the texts of its {@code XLTW_Oper} in lmgr.c; a
 * wait for an index tuple names the index, which this does not read); that tuple's {@code xmax} is the holder's
 * transaction (or a MultiXact of several), and each transaction holds an exclusive lock on its own id in {@code
 * pg_locks}, with its backend's pid. Asked in a DO block that reports the pids in a notice and never fails, so the
 * gateway can run it inside the client's transaction.
 */
final class RowLockHolders {

    /** The tuple a lock wait was for: its relation's name (unqualified, as PostgreSQL reports it) and its ctid. */
    record Tuple(String relation, String ctid) {}

    private static final Pattern CONTEXT = Pattern.compile(
            "^while (?:updating|deleting|locking|locking updated version of|rechecking updated|checking uniqueness of)"
                    + " tuple \\((\\d+),(\\d+)\\) in relation \"(.*)\"$",
            Pattern.MULTILINE);

    private static final String NOTICE_PREFIX = "dsql_local_blockers:";

    private RowLockHolders() {}

    /** The tuple a 55P03 (or 40P01) error waited for, when its context names one the block below can read. */
    static Optional<Tuple> blockedAt(ErrorResponse error) {
        Matcher m = CONTEXT.matcher(error.fields().getOrDefault('W', ""));
        if (!m.find() || m.group(3).contains("$")) {
            return Optional.empty(); // the name goes into a dollar-quoted body: refuse rather than quote it
        }
        return Optional.of(new Tuple(m.group(3), "(" + m.group(1) + "," + m.group(2) + ")"));
    }

    /** A DO block that raises a NOTICE listing the pids holding {@code tuple}'s lock (none if it cannot tell). */
    static String query(Tuple tuple) {
        String relation = tuple.relation().replace("'", "''");
        return "DO $dsql_local$DECLARE x xid; p text; BEGIN"
                + " EXECUTE format('SELECT xmax FROM ONLY %I WHERE ctid = %L::tid', '" + relation + "', '"
                + tuple.ctid() + "') INTO x;"
                + " SELECT string_agg(DISTINCT l.pid::text, ',') INTO p FROM pg_locks l"
                + " WHERE l.locktype = 'transactionid' AND l.granted AND l.mode = 'ExclusiveLock'"
                + " AND l.transactionid = x;"
                + " IF p IS NULL THEN BEGIN"
                + " SELECT string_agg(DISTINCT l.pid::text, ',') INTO p FROM pg_locks l, pg_get_multixact_members(x) m"
                + " WHERE l.locktype = 'transactionid' AND l.granted AND l.mode = 'ExclusiveLock'"
                + " AND l.transactionid = m.xid;"
                + " EXCEPTION WHEN OTHERS THEN NULL; END; END IF;"
                + " RAISE NOTICE '" + NOTICE_PREFIX + "%', coalesce(p, '');"
                + " EXCEPTION WHEN OTHERS THEN RAISE NOTICE '" + NOTICE_PREFIX + "';"
                + " END$dsql_local$";
    }

    /** The pids a notice of {@link #query} lists; empty when the notice is not one. */
    static Optional<Set<Integer>> pids(NoticeResponse notice) {
        String message = notice.fields().getOrDefault('M', "");
        if (!message.startsWith(NOTICE_PREFIX)) {
            return Optional.empty();
        }
        Set<Integer> pids = new HashSet<>();
        for (String pid : message.substring(NOTICE_PREFIX.length()).split(",")) {
            if (!pid.isBlank()) {
                pids.add(Integer.parseInt(pid.strip()));
            }
        }
        return Optional.of(pids);
    }
}
