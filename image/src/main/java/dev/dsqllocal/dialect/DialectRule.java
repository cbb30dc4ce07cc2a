package dev.dsqllocal.dialect;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * One entry of the rule table: when DSQL behaves this way, how the emulator recognises it, what DSQL answers, and
 * how sure we are.
 *
 * @param since    first date the behaviour applies, or null for "as far back as modelled"
 * @param until    first date it no longer applies, or null for "still current"
 * @param match    the named predicate of {@link RuleMatchers} that recognises a statement this rule refuses, or
 *                 null for a rule raised elsewhere ({@code raisedBy})
 * @param each     what the predicate is asked about: the statement, or each column, ALTER TABLE action or
 *                 function call of it
 * @param raisedBy {@code transaction} (the transaction state machine), {@code database} (the SQL run inside
 *                 PostgreSQL), or null for a rule with a {@code match}
 * @param subjects what the rule is about when it covers a family: node tags, commands, type names, function
 *                 names, parameter names or locking clauses (empty otherwise)
 * @param evidence {@code O} observed, {@code D} documented, {@code I} inferred (a guess to be confirmed)
 * @param source   the section of the repository's DSQL behaviour reference the rule comes from
 * @param docs     the AWS documentation page, or null
 */
public record DialectRule(
        RuleId id,
        LocalDate since,
        LocalDate until,
        String match,
        RuleScope each,
        String raisedBy,
        String sqlstate,
        String message,
        String detail,
        String hint,
        String evidence,
        String source,
        String docs,
        Set<String> subjects) {

    public boolean activeAt(DialectEpoch epoch) {
        return (since == null || !epoch.isBefore(since)) && (until == null || epoch.isBefore(until));
    }

    public boolean covers(String subject) {
        return subjects.contains(subject);
    }

    /** The error with {@code {placeholders}} filled in. */
    public DsqlError error(Map<String, String> arguments) {
        return new DsqlError(
                "ERROR", sqlstate, fill(message, arguments), fill(detail, arguments), fill(hint, arguments), id.key());
    }

    public DsqlError error() {
        return error(Map.of());
    }

    /** This rule with its message, detail and hint templates filled from {@code values} (the epoch's limits). */
    DialectRule withTemplatesFilled(Map<String, String> values) {
        return new DialectRule(
                id,
                since,
                until,
                match,
                each,
                raisedBy,
                sqlstate,
                fill(message, values),
                fill(detail, values),
                fill(hint, values),
                evidence,
                source,
                docs,
                subjects);
    }

    private static String fill(String template, Map<String, String> arguments) {
        if (template == null) {
            return null;
        }
        String out = template;
        for (Map.Entry<String, String> e : arguments.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
