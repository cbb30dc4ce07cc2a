package dev.dsqllocal.dialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether DSQL accepts the parameters of a StartupMessage. DSQL lets a client set at connect time only
 * what it lets {@code SET} change; everything else is refused with the same message as {@code SET}
 * ({@code setting configuration parameter "x" not supported}, reported for Bytebase's
 * {@code default_transaction_read_only}). What drivers send by default is on the allow-list: pgJDBC and the AWS
 * JDBC connector ({@code user, database, client_encoding, DateStyle, TimeZone, extra_float_digits},
 * optionally {@code application_name}, {@code search_path}, {@code options=-c ...}), psql/libpq
 * ({@code application_name, client_encoding}), npgsql and psycopg likewise.
 */
public final class StartupParameterFilter {

    /**
     * Startup keys that are not configuration parameters. {@code replication} is the gateway's to refuse (it
     * answers it at login, before parameters are filtered).
     */
    private static final Set<String> CONNECTION_KEYS = Set.of("user", "database", "replication");

    private final DialectRules rules;

    public StartupParameterFilter(DialectRules rules) {
        this.rules = rules;
    }

    /**
     * Returns the FATAL error to answer the StartupMessage with, or empty to accept it. Protocol extension
     * parameters ({@code _pq_.*}) are left to the protocol layer.
     */
    public Optional<DsqlError> check(Map<String, String> parameters) {
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            String name = p.getKey().toLowerCase(Locale.ROOT);
            if (CONNECTION_KEYS.contains(name) || name.startsWith("_pq_.")) {
                continue;
            }
            if (name.equals("options")) {
                for (String option : optionNames(p.getValue())) {
                    Optional<DsqlError> refusal = checkName(option);
                    if (refusal.isPresent()) {
                        return refusal;
                    }
                }
                continue;
            }
            Optional<DsqlError> refusal = checkName(name);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    private Optional<DsqlError> checkName(String name) {
        // role is settable only with SET LOCAL inside a transaction, never for the whole session.
        if (rules.isSettable(name) && !rules.isLocalOnly(name)) {
            return Optional.empty();
        }
        return rules.active(RuleId.SET_PARAMETER)
                .map(r -> r.error(Map.of("name", name)).asFatal());
    }

    /**
     * Parameter names set by a libpq-style {@code options} value: {@code -c name=value}, {@code -cname=value}
     * and {@code --name=value}, separated by whitespace, where a backslash escapes the next character
     * (PostgreSQL's {@code pg_split_opts}). Any other switch is returned as {@code options} itself so it is
     * refused: DSQL exposes no other backend switches.
     */
    static List<String> optionNames(String options) {
        List<String> words = splitOptions(options);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String assignment;
            if (w.equals("-c") && i + 1 < words.size()) {
                assignment = words.get(++i);
            } else if (w.startsWith("-c")) {
                assignment = w.substring(2);
            } else if (w.startsWith("--")) {
                assignment = w.substring(2);
            } else {
                names.add("options");
                continue;
            }
            int eq = assignment.indexOf('=');
            String name = (eq < 0 ? assignment : assignment.substring(0, eq)).replace('-', '_');
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static List<String> splitOptions(String options) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '\\' && i + 1 < options.length()) {
                current.append(options.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(current.toString());
        }
        return words;
    }
}
