package dev.dsqllocal.testcontainers;

import java.sql.SQLException;

/**
 * The message for a login the SQL endpoint refused: the emulator's reason, and for a custom role what makes it able
 * to log in (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/using-database-and-iam-roles.html).
 */
final class ConnectionRefusal {

    private ConnectionRefusal() {}

    static SQLException explain(SQLException refusal, String role, String accountId) {
        String hint = DsqlContainer.ADMIN_USER.equals(role)
                ? ""
                : ". A role other than admin logs in once it exists and is mapped to the signing credentials: as admin,"
                        + " CREATE ROLE " + role + " WITH LOGIN; AWS IAM GRANT " + role + " TO 'arn:aws:iam::"
                        + accountId
                        + ":root'";
        return new SQLException(
                "DSQL Local refused a connection as '" + role + "': " + refusal.getMessage() + hint,
                refusal.getSQLState(),
                refusal);
    }
}
