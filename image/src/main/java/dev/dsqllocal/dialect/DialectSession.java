package dev.dsqllocal.dialect;

import dev.dsqllocal.dialect.TransactionTracker.Action;
import dev.dsqllocal.dialect.TransactionTracker.Decision;
import dev.dsqllocal.sql.StatementInfo;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The dialect state of one client session and the single entry point the gateway's interceptor calls:
 * statement checks in DSQL's order (aborted transaction first, then the statement's own rules, then the
 * transaction rules), plus the session settings those checks depend on ({@code disable_sync_create_index}).
 * Not thread-safe: one instance per connection, used from its event loop.
 */
public final class DialectSession {

    /** What to do with a statement; {@link #tableToCheck} is set when the answer depends on the table being empty. */
    public record Outcome(Action action, DsqlError error, String tableToCheck) {
        public boolean proceeds() {
            return action == Action.PROCEED;
        }

        /** For a conditional outcome: the query whose single boolean answer says whether the table is empty. */
        public String emptinessProbe() {
            return tableToCheck == null ? null : new Verdict.PassIfTableEmpty(tableToCheck, error).emptinessProbe();
        }
    }

    private static final Set<String> TRUE_WORDS = Set.of("on", "true", "yes", "1", "t", "y");
    private static final Set<String> FALSE_WORDS = Set.of("off", "false", "no", "0", "f", "n");

    /** The first statement of a query that would not run as sent, and why. */
    public record Refusal(int index, Outcome outcome) {}

    private final DialectCheck check;
    private final TransactionTracker tracker;
    private boolean syncCreateIndexDisabled = true;
    private Boolean localSyncCreateIndexDisabled;

    public DialectSession(DialectRules rules, Clock clock) {
        this(new DialectCheck(rules), new TransactionTracker(rules, clock));
    }

    private DialectSession(DialectCheck check, TransactionTracker tracker) {
        this.check = check;
        this.tracker = tracker;
    }

    /**
     * Looks ahead through the statements of one simple Query, assuming each one PostgreSQL runs succeeds, and
     * returns the first one DSQL would not run as sent (refused, or COMMIT turned into ROLLBACK), without
     * changing this session. The gateway uses it to decide a multi-statement Query before sending any of it:
     * when nothing is refused the Query goes to PostgreSQL whole, which keeps its implicit-transaction
     * semantics.
     */
    public Optional<Refusal> firstRefusal(List<StatementInfo> statements) {
        DialectSession preview = copy();
        preview.beginQuery(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            StatementInfo info = statements.get(i);
            Outcome outcome = preview.beforeStatement(info);
            if (!outcome.proceeds()) {
                return Optional.of(new Refusal(i, outcome));
            }
            preview.afterSuccess(info, null);
        }
        return Optional.empty();
    }

    /**
     * An independent copy of this session's state, e.g. to project the effect of pipelined Executes that have
     * been forwarded but not answered yet.
     */
    public DialectSession copy() {
        DialectSession c = new DialectSession(check, tracker.copy());
        c.syncCreateIndexDisabled = syncCreateIndexDisabled;
        c.localSyncCreateIndexDisabled = localSyncCreateIndexDisabled;
        return c;
    }

    public TransactionTracker tracker() {
        return tracker;
    }

    public SessionState state() {
        return new SessionState(
                tracker.inTransactionBlock(),
                localSyncCreateIndexDisabled != null ? localSyncCreateIndexDisabled : syncCreateIndexDisabled);
    }

    /** Announces a simple Query with this many statements (see {@link TransactionTracker#beginQuery}). */
    public void beginQuery(int statementCount) {
        tracker.beginQuery(statementCount);
    }

    /**
     * Decides about one statement before PostgreSQL sees it. For {@code PROCEED} with a {@code tableToCheck},
     * the gateway must first verify the table is empty and, if it is not, answer {@code error} and call
     * {@link #afterError()}.
     */
    public Outcome beforeStatement(StatementInfo info) {
        Decision transactional = tracker.state() == TransactionTracker.State.FAILED ? tracker.before(info) : null;
        if (transactional != null) {
            return new Outcome(transactional.action(), transactional.error(), null);
        }
        Verdict verdict = check.check(info, state());
        if (verdict instanceof Verdict.Refuse refuse) {
            tracker.afterError();
            return new Outcome(Action.REFUSE, refuse.error(), null);
        }
        Decision decision = tracker.before(info);
        if (!decision.proceeds()) {
            return new Outcome(decision.action(), decision.error(), null);
        }
        if (verdict instanceof Verdict.PassIfTableEmpty p) {
            return new Outcome(Action.PROCEED, p.ifNotEmpty(), p.table());
        }
        return new Outcome(Action.PROCEED, null, null);
    }

    /** The statement completed with this command tag; may turn it into an error (row limit). */
    public Outcome afterSuccess(StatementInfo info, String commandTag) {
        info.set().ifPresent(this::applySetting);
        boolean ended = info.command().equals("COMMIT") || info.command().equals("ROLLBACK");
        Decision decision = tracker.afterSuccess(info, commandTag);
        if (ended || tracker.state() == TransactionTracker.State.IDLE) {
            localSyncCreateIndexDisabled = null;
        }
        return new Outcome(decision.action(), decision.error(), null);
    }

    public void afterError() {
        tracker.afterError();
    }

    public void onReadyForQuery(char status) {
        tracker.onReadyForQuery(status);
        if (status == 'I') {
            localSyncCreateIndexDisabled = null;
        }
    }

    private void applySetting(StatementInfo.SetFacts set) {
        if (!set.parameter().equals("disable_sync_create_index")
                && !(set.reset() && set.parameter().equals("all"))) {
            return;
        }
        Boolean value;
        if (set.reset() || set.value() == null) {
            value = true;
        } else {
            String v = set.value().toLowerCase(Locale.ROOT);
            value = TRUE_WORDS.contains(v) ? Boolean.TRUE : FALSE_WORDS.contains(v) ? Boolean.FALSE : null;
            if (value == null) {
                return; // PostgreSQL rejects the value itself
            }
        }
        if (set.local()) {
            localSyncCreateIndexDisabled = value;
        } else {
            syncCreateIndexDisabled = value;
            localSyncCreateIndexDisabled = null;
        }
    }
}
