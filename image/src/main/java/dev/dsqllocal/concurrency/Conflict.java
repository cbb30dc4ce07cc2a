package dev.dsqllocal.concurrency;

import dev.dsqllocal.pgwire.BackendMessage.ErrorResponse;
import java.util.Map;

/**
 * DSQL's two optimistic-concurrency failures, both SQLSTATE 40001
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html).
 */
public enum Conflict {
    /** Another transaction changed what this one read or wrote. */
    OC000("change conflicts with another transaction (OC000)"),
    /** Another transaction changed the schema after this one cached it. */
    OC001("schema has been updated by another transaction (OC001)");

    private final String message;

    Conflict(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    /** PostgreSQL's serialization failure, lock timeout or deadlock as DSQL's OC000; DSQL's own errors trimmed. */
    static ErrorResponse asDsqlConflict(ErrorResponse error) {
        Map<Character, String> fields = error.fields();
        String code = fields.getOrDefault('C', "");
        String text = fields.getOrDefault('M', "");
        String dsqlText;
        if (code.equals("40001") && (text.endsWith("(OC000)") || text.endsWith("(OC001)"))) {
            dsqlText = text; // raised by the gateway's own DO block: drop its CONTEXT and source position
        } else if (code.equals("40001") || code.equals("55P03") || code.equals("40P01")) {
            dsqlText = OC000.message();
        } else {
            return error;
        }
        return ErrorResponse.of(fields.getOrDefault('S', "ERROR"), "40001", dsqlText, null, null);
    }
}
