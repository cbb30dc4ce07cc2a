package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementInfo.AlterTableAction;
import dev.dsqllocal.sql.StatementInfo.AlterTableFacts;
import dev.dsqllocal.sql.StatementInfo.ColumnDefinition;
import dev.dsqllocal.sql.StatementInfo.IndexFacts;
import dev.dsqllocal.sql.StatementKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Statement-level dialect rules: given what the classifier understood, does DSQL run the statement or refuse
 * it, and with which error. The rules are the table's ({@link DialectRules#statementRules()}): tried in table
 * order, each through its named predicate ({@link RuleMatchers}); the first that matches refuses. A run of
 * consecutive rules about the same kind of element ({@link RuleScope}) is tried element by element, so the
 * first offending column (or action, or function call) decides which error DSQL reports. Transaction-level rules
 * (one DDL per transaction, row and age limits) are {@link TransactionTracker}'s job. Statements the classifier
 * did not understand always pass.
 */
public final class DialectCheck {

    /** A run of consecutive rules about the same kind of element, with their predicates looked up once. */
    private record Run(
            RuleScope scope, List<DialectRule> rules, List<RuleMatchers.RuleMatcher> matchers, List<Integer> needs) {}

    private final DialectRules rules;
    private final List<Run> runs = new ArrayList<>();

    public DialectCheck(DialectRules rules) {
        this.rules = rules;
        for (DialectRule rule : rules.statementRules()) {
            Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last == null || last.scope() != rule.each()) {
                last = new Run(rule.each(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                runs.add(last);
            }
            last.rules().add(rule);
            last.matchers().add(RuleMatchers.named(rule.match()).orElseThrow());
            last.needs().add(RuleMatchers.needs(rule.match()));
        }
    }

    public DialectRules rules() {
        return rules;
    }

    public Verdict check(StatementInfo info, SessionState session) {
        if (info.kind() == StatementKind.UNKNOWN || info.kind() == StatementKind.EMPTY) {
            return Verdict.PASS;
        }
        Optional<DsqlError> refusal = firstRefusal(RuleSubject.statement(info, session, rules));
        if (refusal.isPresent()) {
            return new Verdict.Refuse(refusal.get());
        }
        IndexFacts index = info.index().orElse(null);
        if (index != null && !index.async() && !index.concurrently() && !session.syncCreateIndexDisabled()) {
            // DSQL builds a plain CREATE INDEX only on an empty table; the database must tell.
            return rules.active(RuleId.SYNC_CREATE_INDEX)
                    .<Verdict>map(r -> new Verdict.PassIfTableEmpty(index.quotedTable(), r.error()))
                    .orElse(Verdict.PASS);
        }
        return Verdict.PASS;
    }

    private Optional<DsqlError> firstRefusal(RuleSubject statement) {
        int facts = RuleMatchers.factsOf(statement.info());
        for (Run run : runs) {
            for (RuleSubject subject : elements(statement, run.scope())) {
                for (int i = 0; i < run.rules().size(); i++) {
                    int needs = run.needs().get(i);
                    if (needs != 0 && (needs & facts) == 0) {
                        continue;
                    }
                    DialectRule rule = run.rules().get(i);
                    Optional<Map<String, String>> arguments =
                            run.matchers().get(i).match(subject, rule);
                    if (arguments.isPresent()) {
                        return Optional.of(rule.error(arguments.get()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The statement itself, or its elements of one kind, each as a subject for the predicates. */
    private static List<RuleSubject> elements(RuleSubject statement, RuleScope scope) {
        StatementInfo info = statement.info();
        switch (scope) {
            case STATEMENT -> {
                return List.of(statement);
            }
            case COLUMN -> {
                if (info.table().isEmpty() && info.alterTable().isEmpty()) {
                    return List.of();
                }
            }
            case ALTER_ACTION -> {
                if (info.alterTable().isEmpty()) {
                    return List.of();
                }
            }
            case FUNCTION_CALL -> {
                if (info.functionCalls().isEmpty()) {
                    return List.of();
                }
            }
            default -> {}
        }
        List<RuleSubject> out = new ArrayList<>();
        switch (scope) {
            case COLUMN -> {
                info.table().ifPresent(t -> t.columns().forEach(c -> out.add(statement.column(c, true))));
                for (AlterTableAction action :
                        info.alterTable().map(AlterTableFacts::actions).orElse(List.of())) {
                    ColumnDefinition added =
                            action.action() == AlterTableAction.Action.ADD_COLUMN ? action.addedColumn() : null;
                    if (added != null) {
                        out.add(statement.column(added, false));
                    }
                }
            }
            case ALTER_ACTION ->
                info.alterTable()
                        .ifPresent(a -> a.actions().forEach(action -> out.add(statement.action(action, a.async()))));
            case FUNCTION_CALL -> info.functionCalls().forEach(c -> out.add(statement.call(c)));
            default -> throw new IllegalStateException("unhandled scope " + scope);
        }
        return out;
    }
}
