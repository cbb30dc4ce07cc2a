package dev.dsqllocal.dialect.database;

import dev.dsqllocal.dialect.DialectEpoch;
import dev.dsqllocal.dialect.DialectLimit;
import dev.dsqllocal.dialect.DialectRule;
import dev.dsqllocal.dialect.DialectRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the DSQL dialect that runs inside each cluster's PostgreSQL: the {@code sys} schema, IAM mappings,
 * catalog rules, transaction limits and {@code version()}, written as SQL in {@code dialect/sql/*.sql} and filled
 * from the rule table ({@code dialect/rules.json}), so a limit or a message has one source:
 * <ul>
 *   <li>{@code ${limit:name}}: the limit's value at the server's epoch (the setting {@code dsql_local.dialect},
 *       {@link DialectEpoch#toString()}), read at run time ({@code sys.dsql_local_limit('name')}), so one template
 *       serves every {@code --dialect} epoch;</li>
 *   <li>{@code ${raise:rule-id}} or {@code ${raise:rule-id(arg=expression, ...)}}: a PL/pgSQL {@code RAISE} with
 *       the rule's SQLSTATE, message and detail; their {@code {placeholders}} become the given expressions or the
 *       named limits;</li>
 *   <li>{@code ${limit_name:name}}: the name as a SQL literal, checked against the table (for queries over
 *       {@code sys.dsql_local_epoch_limits} that read several limits at once);</li>
 *   <li>{@code ${limit_rows}}: every dated limit entry, as rows of {@code sys.dsql_local_limits};</li>
 *   <li>{@code ${superuser}}, {@code ${admin}}: the role names the caller passes.</li>
 * </ul>
 * The result changes whenever a file or the table does, which is what the template key and the schema version
 * of existing clusters are computed from.
 */
public final class DialectDatabase {

    /** The files, in the order they run (the schema first; the limits before what reads them). */
    static final List<String> FILES = List.of(
            "sys-schema.sql",
            "limits.sql",
            "iam-mappings.sql",
            "catalog-rules.sql",
            "transaction-limits.sql",
            "text-search.sql",
            "version.sql");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)(?::([a-z0-9_-]+))?(?:\\((.*?)\\))?}");
    private static final Pattern TEMPLATE_ARGUMENT = Pattern.compile("\\{([a-z_]+)}");

    private DialectDatabase() {}

    /** The whole SQL, for a server whose internal superuser and admin roles have these names. */
    public static String schemaSql(String superuser, String admin) {
        DialectRules table = DialectRules.latest();
        StringBuilder sql = new StringBuilder();
        for (String file : FILES) {
            sql.append(render(read(file), table, Map.of("superuser", superuser, "admin", admin), file));
        }
        return sql.toString();
    }

    static String render(String template, DialectRules table, Map<String, String> names, String file) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String kind = m.group(1);
            String argument = m.group(2);
            String replacement = switch (kind) {
                case "limit" -> limit(table, argument, file);
                case "limit_name" -> {
                    limit(table, argument, file);
                    yield literal(argument);
                }
                case "raise" -> raise(table, argument, arguments(m.group(3), file), file);
                case "limit_rows" -> limitRows(table);
                default -> {
                    String name = names.get(kind);
                    if (name == null || argument != null) {
                        throw new IllegalStateException(file + ": unknown placeholder " + m.group());
                    }
                    yield name;
                }
            };
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        if (out.indexOf("${") >= 0) {
            throw new IllegalStateException(file + ": malformed placeholder near "
                    + out.substring(out.indexOf("${"), Math.min(out.length(), out.indexOf("${") + 40)));
        }
        return out.toString();
    }

    private static String limit(DialectRules table, String name, String file) {
        if (table.allLimits().stream().noneMatch(l -> l.name().equals(name))) {
            throw new IllegalStateException(file + ": no limit named " + name + " in the rule table");
        }
        return "sys.dsql_local_limit(" + literal(name) + ")";
    }

    /** A RAISE with the rule's SQLSTATE, message and detail. */
    private static String raise(DialectRules table, String id, Map<String, String> arguments, String file) {
        List<DialectRule> entries =
                table.allRules().stream().filter(r -> r.id().key().equals(id)).toList();
        if (entries.size() != 1) {
            // The SQL is built once for every epoch: a dated wording would need the epoch at run time.
            throw new IllegalStateException(file + ": rule " + id + " raised inside PostgreSQL needs exactly one "
                    + "entry in the rule table, found " + entries.size());
        }
        DialectRule rule = entries.get(0);
        if (!"database".equals(rule.raisedBy())) {
            throw new IllegalStateException(file + ": rule " + id + " is raised here but not marked raisedBy database");
        }
        StringBuilder raise = new StringBuilder("RAISE EXCEPTION USING ERRCODE = ")
                .append(literal(rule.sqlstate()))
                .append(", MESSAGE = ")
                .append(text(rule.message(), table, arguments, id, file));
        if (rule.detail() != null) {
            raise.append(", DETAIL = ").append(text(rule.detail(), table, arguments, id, file));
        }
        if (rule.hint() != null) {
            raise.append(", HINT = ").append(text(rule.hint(), table, arguments, id, file));
        }
        return raise.toString();
    }

    /** A SQL expression for a message template: a literal, or {@code format()} over its arguments. */
    private static String text(
            String template, DialectRules table, Map<String, String> arguments, String id, String file) {
        Matcher m = TEMPLATE_ARGUMENT.matcher(template);
        List<String> expressions = new ArrayList<>();
        StringBuilder format = new StringBuilder();
        int last = 0;
        while (m.find()) {
            format.append(template, last, m.start()).append('\u0000');
            String name = m.group(1);
            String expression = arguments.get(name);
            expressions.add(expression != null ? expression : limit(table, name, file + " (rule " + id + ")"));
            last = m.end();
        }
        format.append(template.substring(last));
        if (expressions.isEmpty()) {
            return literal(template);
        }
        String pattern = format.toString().replace("%", "%%").replace("\u0000", "%s");
        return "pg_catalog.format(" + literal(pattern) + ", " + String.join(", ", expressions) + ")";
    }

    private static Map<String, String> arguments(String text, String file) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                String pair = text.substring(start, i).trim();
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalStateException(file + ": raise argument must be name=expression, got " + pair);
                }
                out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                start = i + 1;
            }
        }
        return out;
    }

    private static String limitRows(DialectRules table) {
        StringJoiner rows = new StringJoiner(",\n");
        for (DialectLimit l : table.allLimits()) {
            rows.add("    (" + literal(l.name()) + ", " + date(l.since()) + ", " + date(l.until()) + ", " + l.value()
                    + ")");
        }
        return rows.toString();
    }

    private static String date(java.time.LocalDate date) {
        return date == null ? "NULL" : "DATE " + literal(date.toString());
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String read(String file) {
        String resource = "/dialect/sql/" + file;
        try (InputStream in = DialectDatabase.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
