package dev.dsqllocal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rule table from {@code dialect/rules.json}, seen at one {@link DialectEpoch}: only rules whose date range
 * contains the epoch are active. Immutable and shareable between sessions.
 */
public final class DialectRules {

    public static final String RESOURCE = "/dialect/rules.json";

    private final DialectEpoch epoch;
    private final List<DialectRule> all;
    private final Map<RuleId, List<DialectRule>> active = new HashMap<>();
    private final Set<String> settable = new LinkedHashSet<>();
    private final Set<String> localOnly = new LinkedHashSet<>();

    private DialectRules(DialectEpoch epoch, List<DialectRule> all, JsonNode parameters) {
        this.epoch = epoch;
        this.all = List.copyOf(all);
        for (DialectRule r : all) {
            if (r.activeAt(epoch)) {
                active.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r);
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

    private static final java.util.concurrent.ConcurrentMap<DialectEpoch, DialectRules> CACHE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The newest behaviour. */
    public static DialectRules latest() {
        return forEpoch(DialectEpoch.LATEST);
    }

    /** The rules at an epoch, read once per epoch and shared (they are immutable). */
    public static DialectRules forEpoch(DialectEpoch epoch) {
        return CACHE.computeIfAbsent(epoch, DialectRules::load);
    }

    public static DialectRules load(DialectEpoch epoch) {
        try (InputStream in = DialectRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new ObjectMapper().readTree(in), epoch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static DialectRules parse(JsonNode root, DialectEpoch epoch) {
        LocalDate earliest = date(root, "earliestEpoch");
        if (earliest != null && epoch.isBefore(earliest)) {
            throw new IllegalArgumentException("dialect epoch " + epoch + " is older than the oldest modelled ("
                    + earliest + ")");
        }
        List<DialectRule> rules = new ArrayList<>();
        EnumSet<RuleId> seen = EnumSet.noneOf(RuleId.class);
        for (JsonNode r : root.path("rules")) {
            RuleId id = RuleId.fromKey(r.get("id").asText());
            seen.add(id);
            Set<String> subjects = new LinkedHashSet<>();
            for (String field : List.of("nodeTags", "types", "functions", "parameters", "clauses")) {
                r.path(field).forEach(v -> subjects.add(v.asText()));
            }
            String evidence = r.path("evidence").asText();
            if (!Set.of("O", "D", "I").contains(evidence)) {
                throw new IllegalStateException("rule " + id.key() + ": evidence must be O, D or I");
            }
            rules.add(new DialectRule(id, date(r, "since"), date(r, "until"), r.get("sqlstate").asText(),
                    r.get("message").asText(), text(r, "detail"), text(r, "hint"), evidence, text(r, "source"),
                    Set.copyOf(subjects)));
        }
        EnumSet<RuleId> missing = EnumSet.complementOf(seen);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(RESOURCE + " has no entry for " + missing);
        }
        return new DialectRules(epoch, rules, root.path("settableParameters"));
    }

    public DialectEpoch epoch() {
        return epoch;
    }

    /** Every rule entry, active or not (for documentation and tests). */
    public List<DialectRule> allRules() {
        return all;
    }

    /** The active entry of a rule that has no subject list. */
    public Optional<DialectRule> active(RuleId id) {
        List<DialectRule> rules = active.getOrDefault(id, List.of());
        return rules.isEmpty() ? Optional.empty() : Optional.of(rules.get(0));
    }

    /** The active entry of a family rule that covers {@code subject}. */
    public Optional<DialectRule> active(RuleId id, String subject) {
        return active.getOrDefault(id, List.of()).stream().filter(r -> r.covers(subject)).findFirst();
    }

    /** The error a rule gives, for rules that are always active (transaction limits and the like). */
    public DsqlError error(RuleId id, Map<String, String> arguments) {
        return active(id).orElseThrow(() -> new IllegalStateException("rule " + id.key() + " not active at "
                + epoch)).error(arguments);
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

    private static LocalDate date(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : LocalDate.parse(v.asText());
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
