package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.SqlStatement;
import dev.dsqllocal.sql.StatementInfo.AlterTableAction;
import dev.dsqllocal.sql.StatementInfo.AlterTableFacts;

/**
 * {@code ALTER TABLE ASYNC t VALIDATE CONSTRAINT c} (DSQL, from 2026-08-03) is not PostgreSQL grammar: the
 * {@code ASYNC} token is cut out and the plain {@code ALTER TABLE ... VALIDATE CONSTRAINT} handed to
 * {@code sys.dsql_local_validate_constraint_async} (cluster template), which tries the validation (so errors about
 * the statement are the statement's), undoes it, submits a {@code sys.jobs} entry and answers one {@code job_id}
 * row, like {@code CREATE INDEX ASYNC}. The constraint is validated when the job runs ({@code completed}), or the
 * job fails with PostgreSQL's violation message as details when a row violates it. PostgreSQL's
 * tag is {@code SELECT 1}; the interceptor answers {@link #COMMAND_TAG}.
 */
final class ConstraintValidationRewriter {

    static final String COMMAND_TAG = "ALTER TABLE";

    private ConstraintValidationRewriter() {}

    /** True for the one {@code ALTER TABLE ASYNC} form DSQL runs: a single {@code VALIDATE CONSTRAINT}. */
    static boolean applies(AlterTableFacts alter) {
        return alter.async()
                && alter.asyncToken() != null
                && alter.quotedTable() != null
                && alter.actions().size() == 1
                && alter.actions().get(0).action() == AlterTableAction.Action.VALIDATE_CONSTRAINT;
    }

    static String asyncValidation(SqlStatement statement, AlterTableFacts alter) {
        String plain = statement.textWithout(alter.asyncToken());
        return "SELECT job_id FROM sys.dsql_local_validate_constraint_async("
                + IndexBuildRewriter.dollarQuoted(plain) + ", " + IndexBuildRewriter.dollarQuoted(alter.quotedTable())
                + ")";
    }
}
