package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dsqllocal.dialect.database.DialectDatabase;
import dev.dsqllocal.sql.StatementClassifier;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rule table is the one place a rule or limit is defined: a rule added or a limit dated in the data changes
 * what is enforced, with no code change. The tables here are the shipped one with one edit.
 */
class RuleTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode shippedTable() {
        return (ObjectNode) DialectRules.readTable().deepCopy();
    }

    private static Verdict check(JsonNode table, String epoch, String sql) {
        DialectCheck check = new DialectCheck(DialectRules.parse(table, DialectEpoch.parse(epoch)));
        return check.check(StatementClassifier.classifySingle(sql), SessionState.initial());
    }

    private static DsqlError refusal(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Refuse.class);
        return ((Verdict.Refuse) verdict).error();
    }

    @Test
    void aRuleAddedAsDataIsEnforcedFromItsDate() throws Exception {
        ObjectNode table = shippedTable();
        String sql = "COMMENT ON TABLE t IS 'guests'";
        assertThat(check(table, "latest", sql)).isEqualTo(Verdict.PASS);

        ((ArrayNode) table.get("rules")).add(JSON.readTree("""
                { "id": "comment-on", "since": "2026-10-01", "match": "command", "commands": ["COMMENT"],
                  "sqlstate": "0A000", "message": "unsupported statement: {command}", "evidence": "I",
                  "source": "an example of a rule added as data" }"""));

        assertThat(check(table, "2026-09-30", sql)).isEqualTo(Verdict.PASS);
        DsqlError error = refusal(check(table, "latest", sql));
        assertThat(error.sqlstate()).isEqualTo("0A000");
        assertThat(error.message()).isEqualTo("unsupported statement: COMMENT");
        assertThat(error.ruleId()).isEqualTo("comment-on");
    }

    @Test
    void datingALimitChangesWhatIsEnforcedAtAnEarlierEpoch() throws Exception {
        ObjectNode table = shippedTable();
        ArrayNode limits = (ArrayNode) table.get("limits");
        for (JsonNode limit : limits) {
            if (limit.get("name").asText().equals(DialectLimit.KEY_COLUMNS)) {
                ((ObjectNode) limit).put("since", "2026-09-01");
            }
        }
        limits.add(JSON.readTree("""
                { "name": "max_key_columns", "until": "2026-09-01", "value": 4, "evidence": "I",
                  "source": "an example of a dated limit" }"""));
        String fiveKeyColumns = "CREATE INDEX ASYNC i ON t (a, b, c, d, e)";

        DsqlError error = refusal(check(table, "2026-08-31", fiveKeyColumns));
        assertThat(error.sqlstate()).isEqualTo("54011");
        assertThat(error.message()).isEqualTo("more than 4 column keys in an index are not supported");
        assertThat(check(table, "2026-09-01", fiveKeyColumns)).isEqualTo(Verdict.PASS);
        assertThat(DialectRules.parse(table, DialectEpoch.parse("2026-08-31")).limit(DialectLimit.KEY_COLUMNS))
                .isEqualTo(4);
        assertThat(DialectRules.parse(table, DialectEpoch.LATEST).limit(DialectLimit.KEY_COLUMNS))
                .isEqualTo(8);
    }

    @Test
    void messagesCarryTheLimitsOfTheEpoch() {
        DialectRules latest = DialectRules.latest();
        assertThat(latest.error(RuleId.SIZE_LIMIT, Map.of("size", "11")))
                .extracting(DsqlError::message, DsqlError::detail)
                .containsExactly("transaction size limit 10mb exceeded", "Current transaction size 11mb > 10mb");
        assertThat(latest.error(RuleId.AGE_LIMIT, Map.of("age", "301")).detail())
                .isEqualTo("Current transaction age 301s exceeds 300s");
        assertThat(latest.limit(DialectLimit.ROWS_PER_TRANSACTION)).isEqualTo(3000);
        // every limit a message names is defined at the epoch
        for (DialectRule r : latest.statementRules()) {
            assertThat(r.message()).as("rule %s", r.id()).doesNotContainPattern("\\{(max|min)_[a-z_]+\\}");
        }
    }

    @Test
    void everyPredicateAndEveryLimitIsUsed() throws Exception {
        DialectRules latest = DialectRules.latest();
        Set<String> used = new HashSet<>();
        latest.allRules().forEach(r -> used.add(r.match()));
        assertThat(used).as("predicates no rule refers to").containsAll(RuleMatchers.names());

        Set<String> readByCode = new HashSet<>();
        for (Field f : DialectLimit.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                readByCode.add((String) f.get(null));
            }
        }
        String sql = DialectDatabase.schemaSql("postgres", "admin");
        for (DialectLimit limit : latest.allLimits()) {
            String readInSql = "sys.dsql_local_limit('" + limit.name() + "')";
            assertThat(readByCode.contains(limit.name()) || sql.contains(readInSql))
                    .as("limit %s is enforced by the gateway or inside PostgreSQL", limit.name())
                    .isTrue();
        }
    }

    @Test
    void malformedEntriesAreRefusedWhenTheTableIsRead() throws Exception {
        ObjectNode unknownPredicate = shippedTable();
        ((ArrayNode) unknownPredicate.get("rules")).add(JSON.readTree("""
                { "id": "x", "match": "no-such-predicate", "sqlstate": "0A000", "message": "m", "evidence": "I",
                  "source": "s" }"""));
        assertThatThrownBy(() -> DialectRules.parse(unknownPredicate, DialectEpoch.LATEST))
                .hasMessageContaining("no predicate named 'no-such-predicate'");

        ObjectNode neither = shippedTable();
        ((ArrayNode) neither.get("rules")).add(JSON.readTree("""
                { "id": "x", "sqlstate": "0A000", "message": "m", "evidence": "I", "source": "s" }"""));
        assertThatThrownBy(() -> DialectRules.parse(neither, DialectEpoch.LATEST))
                .hasMessageContaining("exactly one of match and raisedBy");

        ObjectNode withoutRowLimit = shippedTable();
        ArrayNode rules = (ArrayNode) withoutRowLimit.get("rules");
        for (int i = rules.size() - 1; i >= 0; i--) {
            if (rules.get(i).get("id").asText().equals("row-limit")) {
                rules.remove(i);
            }
        }
        assertThatThrownBy(() -> DialectRules.parse(withoutRowLimit, DialectEpoch.LATEST))
                .hasMessageContaining("row-limit");

        ObjectNode twoLimits = shippedTable();
        ((ArrayNode) twoLimits.get("limits")).add(JSON.readTree("""
                { "name": "max_tables", "value": 5, "evidence": "I", "source": "s" }"""));
        assertThatThrownBy(() -> DialectRules.parse(twoLimits, DialectEpoch.LATEST))
                .hasMessageContaining("max_tables has two entries");
    }
}
