package dev.dsqllocal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The rule table from {@code dialect/rules.json}, seen at one {@link DialectEpoch}: only rules and limits whose
 * date range contains the epoch are active, and the active rules' message templates already carry the epoch's
 * limits. Immutable and shareable between sessions.
 */
public final class DialectRules {

    public static final String RESOURCE = "/dialect/rules.json";

    private static final Set<String> EVIDENCE = Set.of("O", "D", "I");
    private static final Set<String> RAISERS = Set.of("transaction", "database");
    private static final List<String> SUBJECT_FIELDS =
            List.of("nodeTags", "commands", "types", "functions", "parameters", "clauses");
    private static final ConcurrentMap<DialectEpoch, DialectRules> CACHE = new ConcurrentHashMap<>();

    private final DialectEpoch epoch;
    private final List<DialectRule> all;
    private final List<DialectLimit> allLimits;
    private final Map<String, Long> limits = new LinkedHashMap<>();
    /** Active rules with a {@code match}, in table order: the order statement rules are tried in. */
    private final List<DialectRule> statementRules = new ArrayList<>();

    private final Map<RuleId, List<DialectRule>> active = new HashMap<>();
    private final Set<String> settable = new LinkedHashSet<>();
    private final Set<String> localOnly = new LinkedHashSet<>();

    private DialectRules(DialectEpoch epoch, List<DialectRule> all, List<DialectLimit> allLimits, JsonNode parameters) {
        this.epoch = epoch;
        this.all = List.copyOf(all);
        this.allLimits = List.copyOf(allLimits);
        Map<String, String> limitTexts = new LinkedHashMap<>();
        for (DialectLimit limit : allLimits) {
            if (limit.activeAt(epoch)) {
                if (limits.put(limit.name(), limit.value()) != null) {
                    throw new IllegalStateException("limit " + limit.name() + " has two entries active at " + epoch);
                }
                limitTexts.put(limit.name(), Long.toString(limit.value()));
            }
        }
        for (DialectRule r : all) {
            if (r.activeAt(epoch)) {
                DialectRule filled = r.withTemplatesFilled(limitTexts);
                active.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(filled);
                if (filled.match() != null) {
                    statementRules.add(filled);
                }
            }
        }
        for (JsonNode p : parameters) {
            LocalDate since = date(p, "since");
            LocalDate until = date(p, "until");
            if ((since == null || !epoch.isBefore(since)) && (until == null || epoch.isBefore(until))) {
                String name = p.get("name").asText().toLowerCase(Locale.ROOT);
                settable.add(name);
                if (p.path("localOnly").asBoolean(false)) {
                    localOnly.add(name);
                }
            }
        }
    }

    /** The newest behaviour. */
    public static DialectRules latest() {
        return forEpoch(DialectEpoch.LATEST);
    }

    /** The rules at an epoch, read once per epoch and shared (they are immutable). */
    public static DialectRules forEpoch(DialectEpoch epoch) {
        return CACHE.computeIfAbsent(epoch, DialectRules::load);
    }

    public static DialectRules load(DialectEpoch epoch) {
        return parse(readTable(), epoch);
    }

    /** The table as written, for whoever derives something from it (the SQL run inside PostgreSQL). */
    public static JsonNode readTable() {
        try (InputStream in = DialectRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Reads a table (the shipped one or, in tests, another) at an epoch; fails on anything malformed. */
    public static DialectRules parse(JsonNode root, DialectEpoch epoch) {
        LocalDate earliest = date(root, "earliestEpoch");
        if (earliest != null && epoch.isBefore(earliest)) {
            throw new IllegalArgumentException(
                    "dialect epoch " + epoch + " is older than the oldest modelled (" + earliest + ")");
        }
        List<DialectRule> rules = new ArrayList<>();
        Set<RuleId> seen = new HashSet<>();
        for (JsonNode r : root.path("rules")) {
            DialectRule rule = rule(r);
            seen.add(rule.id());
            rules.add(rule);
        }
        for (RuleId id : RuleId.RAISED_BY_CODE) {
            if (!seen.contains(id)) {
                throw new IllegalStateException(RESOURCE + " has no entry for " + id + ", which code raises");
            }
        }
        List<DialectLimit> limits = new ArrayList<>();
        for (JsonNode l : root.path("limits")) {
            String name = required(l, "name");
            if (!l.path("value").canConvertToLong()) {
                throw new IllegalStateException("limit " + name + ": value must be an integer");
            }
            limits.add(new DialectLimit(
                    name,
                    date(l, "since"),
                    date(l, "until"),
                    l.get("value").asLong(),
                    evidence(l, "limit " + name),
                    required(l, "source"),
                    text(l, "docs")));
        }
        return new DialectRules(epoch, rules, limits, root.path("settableParameters"));
    }

    private static DialectRule rule(JsonNode r) {
        RuleId id = new RuleId(required(r, "id"));
        String match = text(r, "match");
        String raisedBy = text(r, "raisedBy");
        if ((match == null) == (raisedBy == null)) {
            throw new IllegalStateException("rule " + id + ": needs exactly one of match and raisedBy");
        }
        if (match != null && RuleMatchers.named(match).isEmpty()) {
            throw new IllegalStateException(
                    "rule " + id + ": no predicate named '" + match + "' (known: " + RuleMatchers.names() + ")");
        }
        if (raisedBy != null && !RAISERS.contains(raisedBy)) {
            throw new IllegalStateException("rule " + id + ": raisedBy must be one of " + RAISERS);
        }
        RuleScope each = r.has("each") ? RuleScope.fromKey(r.get("each").asText()) : RuleScope.STATEMENT;
        Set<String> subjects = new LinkedHashSet<>();
        for (String field : SUBJECT_FIELDS) {
            r.path(field).forEach(v -> subjects.add(v.asText()));
        }
        String sqlstate = required(r, "sqlstate");
        if (!sqlstate.matches("[0-9A-Z]{5}")) {
            throw new IllegalStateException("rule " + id + ": SQLSTATE must be five digits or capitals");
        }
        LocalDate since = date(r, "since");
        LocalDate until = date(r, "until");
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalStateException("rule " + id + ": since must be before until");
        }
        return new DialectRule(
                id,
                since,
                until,
                match,
                each,
                raisedBy,
                sqlstate,
                required(r, "message"),
                text(r, "detail"),
                text(r, "hint"),
                evidence(r, "rule " + id),
                required(r, "source"),
                text(r, "docs"),
                Set.copyOf(subjects));
    }

    public DialectEpoch epoch() {
        return epoch;
    }

    /** Every rule entry, active or not (for documentation and tests). */
    public List<DialectRule> allRules() {
        return all;
    }

    /** Every limit entry, active or not (for documentation, tests and the SQL inside PostgreSQL). */
    public List<DialectLimit> allLimits() {
        return allLimits;
    }

    /** The active rules that refuse statements, in the order they are tried. */
    public List<DialectRule> statementRules() {
        return statementRules;
    }

    /** The active entry of a rule that has no subject list. */
    public Optional<DialectRule> active(RuleId id) {
        List<DialectRule> rules = active.getOrDefault(id, List.of());
        return rules.isEmpty() ? Optional.empty() : Optional.of(rules.get(0));
    }

    /** The active entry of a family rule that covers {@code subject}. */
    public Optional<DialectRule> active(RuleId id, String subject) {
        return active.getOrDefault(id, List.of()).stream()
                .filter(r -> r.covers(subject))
                .findFirst();
    }

    /** The error a rule gives, for rules that are always active (transaction limits and the like). */
    public DsqlError error(RuleId id, Map<String, String> arguments) {
        return active(id)
                .orElseThrow(() -> new IllegalStateException("rule " + id.key() + " not active at " + epoch))
                .error(arguments);
    }

    /** The value of a limit at this epoch; fails for a limit the table does not define at this epoch. */
    public long limit(String name) {
        Long value = limits.get(name);
        if (value == null) {
            throw new IllegalStateException("no limit " + name + " at " + epoch);
        }
        return value;
    }

    /** Whether SET / RESET / a startup option may change this parameter (folded name). */
    public boolean isSettable(String parameter) {
        return settable.contains(parameter.toLowerCase(Locale.ROOT));
    }

    /** Parameters settable only with SET LOCAL inside a transaction ({@code role}). */
    public boolean isLocalOnly(String parameter) {
        return localOnly.contains(parameter.toLowerCase(Locale.ROOT));
    }

    public Set<String> settableParameters() {
        return Set.copyOf(settable);
    }

    private static String evidence(JsonNode node, String what) {
        String evidence = node.path("evidence").asText();
        if (!EVIDENCE.contains(evidence)) {
            throw new IllegalStateException(what + ": evidence must be O, D or I");
        }
        return evidence;
    }

    private static String required(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("rules table entry " + node + " lacks '" + field + "'");
        }
        return value;
    }

    private static LocalDate date(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : LocalDate.parse(v.asText());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
