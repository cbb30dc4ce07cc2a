package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementInfo.AlterTableAction;
import dev.dsqllocal.sql.StatementInfo.ColumnDefinition;
import dev.dsqllocal.sql.StatementInfo.FunctionCall;

/**
 * What a rule predicate looks at: the statement, the session it runs in and the rule table of the epoch, and,
 * for rules checked per element ({@link RuleScope}), the element: a column definition (with whether CREATE
 * TABLE defines it), an ALTER TABLE action (with whether the ALTER is ASYNC) or a function call.
 */
public record RuleSubject(
        StatementInfo info,
        SessionState session,
        DialectRules rules,
        ColumnDefinition column,
        boolean definedByCreateTable,
        AlterTableAction action,
        boolean asyncAlter,
        FunctionCall call) {

    static RuleSubject statement(StatementInfo info, SessionState session, DialectRules rules) {
        return new RuleSubject(info, session, rules, null, false, null, false, null);
    }

    RuleSubject column(ColumnDefinition definition, boolean byCreateTable) {
        return new RuleSubject(info, session, rules, definition, byCreateTable, null, false, null);
    }

    RuleSubject action(AlterTableAction alterAction, boolean async) {
        return new RuleSubject(info, session, rules, null, false, alterAction, async, null);
    }

    RuleSubject call(FunctionCall functionCall) {
        return new RuleSubject(info, session, rules, null, false, null, false, functionCall);
    }

    long limit(String name) {
        return rules.limit(name);
    }
}
