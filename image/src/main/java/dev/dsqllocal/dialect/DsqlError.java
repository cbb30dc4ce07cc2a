package dev.dsqllocal.dialect;

/**
 * An error the way DSQL reports it: the fields of a PostgreSQL ErrorResponse the gateway will send.
 *
 * @param severity {@code ERROR} or {@code FATAL}
 * @param sqlstate five-character SQLSTATE
 * @param message  primary message, exactly as DSQL words it
 * @param detail   DETAIL field or null
 * @param hint     HINT field or null
 * @param ruleId   the dialect rule that produced it (for logs and tests), or null
 */
public record DsqlError(String severity, String sqlstate, String message, String detail, String hint, String ruleId) {

    public static DsqlError error(String sqlstate, String message) {
        return new DsqlError("ERROR", sqlstate, message, null, null, null);
    }

    public DsqlError asFatal() {
        return new DsqlError("FATAL", sqlstate, message, detail, hint, ruleId);
    }

    @Override
    public String toString() {
        return severity + " " + sqlstate + " " + message + (detail == null ? "" : " DETAIL: " + detail)
                + (ruleId == null ? "" : " [" + ruleId + "]");
    }
}
