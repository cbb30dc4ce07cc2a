package dev.dsqllocal.dialect;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * One entry of the rule table: when DSQL behaves this way, what it answers, and how sure we are.
 *
 * @param since    first date the behaviour applies, or null for "as far back as modelled"
 * @param until    first date it no longer applies, or null for "still current"
 * @param subjects what the rule is about when it covers a family: node tags, type names, function names or
 *                 parameter names (empty otherwise)
 * @param evidence {@code O} observed, {@code D} documented, {@code I} inferred (a guess to be confirmed)
 */
public record DialectRule(RuleId id, LocalDate since, LocalDate until, String sqlstate, String message,
                          String detail, String hint, String evidence, String source, Set<String> subjects) {

    public boolean activeAt(DialectEpoch epoch) {
        return (since == null || !epoch.isBefore(since)) && (until == null || epoch.isBefore(until));
    }

    public boolean covers(String subject) {
        return subjects.contains(subject);
    }

    /** The error with {@code {placeholders}} filled in. */
    public DsqlError error(Map<String, String> arguments) {
        return new DsqlError("ERROR", sqlstate, fill(message, arguments), fill(detail, arguments),
                fill(hint, arguments), id.key());
    }

    public DsqlError error() {
        return error(Map.of());
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
