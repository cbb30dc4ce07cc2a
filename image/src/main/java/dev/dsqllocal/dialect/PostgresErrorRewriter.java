package dev.dsqllocal.dialect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns PostgreSQL's own errors into DSQL's where the two differ only in wording (runs on errors only, never on
 * the path of a successful statement).
 *
 * <ul>
 *   <li>Internal names: a name the gateway hid from PostgreSQL ({@link InternalNames}) is shown as written, and
 *       a CONTEXT that names the emulator's internal functions (an event trigger or rewrite that raised DSQL's
 *       error) is dropped: the user ran one plain statement.</li>
 *   <li>{@code 42809 sys.wait_for_job(unknown) is a procedure}: DSQL types an untyped literal argument as
 *       {@code text} in this message (DSQL-BEHAVIOUR.md §7). PostgreSQL's HINT ({@code To call a procedure, use CALL.}) is
 *       kept: DSQL's HINT is not recorded, and DSQL runs PostgreSQL's parser.</li>
 *   <li>{@code 42704 data type json has no default operator class for access method "btree"}: PostgreSQL refuses
 *       a {@code json} key before DSQL's check (in the cluster's event trigger) can see it; DSQL answers
 *       {@code 0A000 datatype json is not supported in a key}.</li>
 * </ul>
 */
final class PostgresErrorRewriter {

    private static final Pattern PROCEDURE_CALLED = Pattern.compile("(.+)\\((.*)\\) is a procedure");
    private static final Pattern NO_BTREE_CLASS =
            Pattern.compile("data type (.+) has no default operator class for access method \"btree\"");

    private PostgresErrorRewriter() {}

    /** DSQL's version of these ErrorResponse fields, or null when PostgreSQL's are already what DSQL says. */
    static Map<Character, String> rewrite(Map<Character, String> fields) {
        String message = fields.get('M');
        String code = fields.get('C');
        Map<Character, String> out = null;
        if (InternalNames.mentionsInternal(fields.get('W'))) {
            out = new LinkedHashMap<>(fields);
            out.remove('W');
        }
        for (Map.Entry<Character, String> e : fields.entrySet()) {
            String revealed = InternalNames.reveal(e.getValue());
            if (!revealed.equals(e.getValue()) && (out == null || out.containsKey(e.getKey()))) {
                out = out == null ? new LinkedHashMap<>(fields) : out;
                out.put(e.getKey(), revealed);
            }
        }
        if ("42809".equals(code) && message != null) {
            Matcher m = PROCEDURE_CALLED.matcher(message);
            if (m.matches() && m.group(2).contains("unknown")) {
                out = out == null ? new LinkedHashMap<>(fields) : out;
                out.put(
                        'M',
                        InternalNames.reveal(m.group(1)) + "(" + m.group(2).replaceAll("\\bunknown\\b", "text")
                                + ") is a procedure");
            }
        } else if ("42704".equals(code) && message != null) {
            Matcher m = NO_BTREE_CLASS.matcher(message);
            if (m.matches()) {
                out = out == null ? new LinkedHashMap<>(fields) : out;
                out.put('C', "0A000");
                out.put('M', "datatype " + m.group(1) + " is not supported in a key");
                out.remove('H');
                out.remove('P');
            }
        }
        return out;
    }
}
