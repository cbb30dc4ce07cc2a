package dev.dsqllocal.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * What the server answered to one step: the command tag of every statement that completed, the columns and rows
 * of the last result set, and the error (SQLSTATE, message, hint, detail) if one ended the step.
 */
final class StepOutcome {
    final List<String> tags = new ArrayList<>();
    List<String> columns;
    List<List<String>> rows;
    String sqlstate;
    String message;
    String hint;
    String detail;

    boolean failed() {
        return sqlstate != null;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("tags=").append(tags);
        if (columns != null) {
            s.append(" columns=").append(columns).append(" rows=").append(rows);
        }
        if (failed()) {
            s.append(" error=").append(sqlstate).append(" \"").append(message).append('"');
            if (hint != null) {
                s.append(" hint=\"").append(hint).append('"');
            }
            if (detail != null) {
                s.append(" detail=\"").append(detail).append('"');
            }
        }
        return s.toString();
    }
}
