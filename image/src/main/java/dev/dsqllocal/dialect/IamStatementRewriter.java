package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.StatementInfo;

/**
 * {@code AWS IAM GRANT role TO 'arn'} and {@code AWS IAM REVOKE role FROM 'arn'} are not PostgreSQL grammar: they
 * become {@code CALL}s of the SECURITY DEFINER procedures the cluster template installs
 * ({@code sys.dsql_local_iam_grant/revoke}), which check DSQL's rules (admin only, LOGIN, ARN shape), write the
 * mapping table behind {@code sys.iam_pg_role_mappings} and raise DSQL's errors. PostgreSQL answers {@code CALL};
 * the interceptor answers the statement's own name as its tag (a guess: DSQL's tag is not documented).
 */
final class IamStatementRewriter {

    private IamStatementRewriter() {}

    static String call(StatementInfo.IamMapping mapping) {
        return "CALL sys.dsql_local_iam_" + (mapping.grant() ? "grant" : "revoke") + "("
                + IndexBuildRewriter.dollarQuoted(mapping.role()) + ", "
                + IndexBuildRewriter.dollarQuoted(mapping.arn()) + ")";
    }

    static String commandTag(StatementInfo.IamMapping mapping) {
        return mapping.grant() ? "AWS IAM GRANT" : "AWS IAM REVOKE";
    }
}
