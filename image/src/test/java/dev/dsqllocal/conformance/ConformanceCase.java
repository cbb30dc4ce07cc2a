package dev.dsqllocal.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One conformance case as written in {@code src/test/resources/conformance/*.json}: steps run in order, each with
 * the outcome DSQL gives (see {@code conformance/README.md} for the format).
 *
 * @param id        unique, stable name (used in failure messages and RULES.md)
 * @param rule      the DSQL rule the case pins, in one line (a row of RULES.md)
 * @param section   the DSQL-BEHAVIOUR.md section the expected outcome comes from (e.g. "§6")
 * @param evidence  DSQL-BEHAVIOUR.md's label for that fact: O observed, D documented, S SDK source, I inferred (a guess)
 * @param epoch     dialect epoch the server must run ({@code --dialect}); null means {@code latest}
 * @param pending   why the emulator does not pass this case yet; the runner reports it skipped with the reason
 * @param enforced  override for RULES.md ("partial" with a reason in {@code note}); derived from pending otherwise
 * @param note      anything a reader must know (why a guess is a guess, what is emulated)
 * @param setup     statements run first on connection "a"; each must succeed, its outcome is not compared
 * @param steps     the statements under test, in order
 */
@JsonIgnoreProperties(ignoreUnknown = false)
record ConformanceCase(
        String id,
        String rule,
        String section,
        String evidence,
        String epoch,
        String pending,
        String enforced,
        String note,
        List<String> setup,
        List<Step> steps) {

    ConformanceCase {
        setup = setup == null ? List.of() : List.copyOf(setup);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** "yes", "partial" or "no", as RULES.md shows it. */
    String enforcement() {
        if (enforced != null) {
            return enforced;
        }
        return pending == null ? "yes" : "no";
    }

    /**
     * One SQL string and what DSQL answers to it.
     *
     * @param sql      one statement, or several separated by ';' when {@code simple} is set
     * @param conn     the connection to run on: "a" (default) or any other name, opened on first use
     * @param simple   send as a simple Query message (multi-statement strings, psql -c style) instead of the
     *                 extended protocol (Parse/Bind/Execute, what pgJDBC does by default)
     * @param tag      the expected command tag of the (single or last) statement, e.g. "INSERT 0 1"
     * @param tags     the expected command tags of every statement that completed, in order (multi-statement)
     * @param columns  expected column names of the (last) result set
     * @param rows     expected rows of the (last) result set as text; a cell starting with "re:" is a regex
     * @param error    the expected error (after the statements in {@code tags}, if any)
     * @param save     stores the first cell of the first row under this name; later steps use ${name}
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Step(
            String sql,
            String conn,
            boolean simple,
            String tag,
            List<String> tags,
            List<String> columns,
            List<List<String>> rows,
            ExpectedError error,
            String save) {

        String connection() {
            return conn == null ? "a" : conn;
        }
    }

    /** SQLSTATE and exact message; hint and detail are compared when given. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    record ExpectedError(String sqlstate, String message, String hint, String detail) {}
}
