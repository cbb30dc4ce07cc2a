package dev.dsqllocal.dialect.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dsqllocal.dialect.DialectEpoch;
import dev.dsqllocal.dialect.DialectRules;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SQL that runs inside PostgreSQL takes its limits, SQLSTATEs and messages from the rule table. */
class DialectDatabaseTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> NAMES = Map.of("superuser", "postgres", "admin", "admin");

    private static DialectRules table(JsonNode root) {
        return DialectRules.parse(root, DialectEpoch.LATEST);
    }

    private static String render(String sql, DialectRules table) {
        return DialectDatabase.render(sql, table, NAMES, "test.sql");
    }

    @Test
    void raisesCarryTheTablesSqlstateMessageAndLimits() {
        DialectRules shipped = DialectRules.latest();
        assertThat(render("${raise:row-limit};", shipped))
                .isEqualTo("RAISE EXCEPTION USING ERRCODE = '54000', MESSAGE = 'transaction row limit exceeded';");
        assertThat(render("${raise:index-key-type(type=key_type)};", shipped))
                .isEqualTo("RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = pg_catalog.format("
                        + "'datatype %s is not supported in a key', key_type);");
        assertThat(render("${raise:size-limit(size=pg_catalog.ceil(bytes / 1048576.0))}", shipped))
                .isEqualTo("RAISE EXCEPTION USING ERRCODE = '54000', MESSAGE = pg_catalog.format("
                        + "'transaction size limit %smb exceeded', sys.dsql_local_limit('max_transaction_size_mib')), "
                        + "DETAIL = pg_catalog.format('Current transaction size %smb > %smb', "
                        + "pg_catalog.ceil(bytes / 1048576.0), sys.dsql_local_limit('max_transaction_size_mib'))");
        assertThat(render("IF n > ${limit:max_tables} THEN", shipped))
                .isEqualTo("IF n > sys.dsql_local_limit('max_tables') THEN");
        assertThat(render("AUTHORIZATION ${superuser}; '${admin}'", shipped))
                .isEqualTo("AUTHORIZATION postgres; 'admin'");
    }

    @Test
    void everyDatedLimitEntryReachesTheDatabaseSoOneTemplateServesEveryEpoch() throws Exception {
        ObjectNode root = (ObjectNode) DialectRules.readTable().deepCopy();
        for (JsonNode limit : root.get("limits")) {
            if (limit.get("name").asText().equals("max_schemas")) {
                ((ObjectNode) limit).put("since", "2026-09-01");
            }
        }
        ((ArrayNode) root.get("limits")).add(JSON.readTree("""
                { "name": "max_schemas", "until": "2026-09-01", "value": 4, "evidence": "I", "source": "test" }"""));

        String rows = render("${limit_rows}", table(root));

        assertThat(rows)
                .contains("('max_schemas', DATE '2026-09-01', NULL, 10)")
                .contains("('max_schemas', NULL, DATE '2026-09-01', 4)")
                .contains("('max_rows_per_transaction', NULL, NULL, 3000)");
        assertThat(rows).isNotEqualTo(render("${limit_rows}", DialectRules.latest()));
    }

    @Test
    void theShippedSqlNamesNoLimitAsALiteral() {
        String sql = DialectDatabase.schemaSql("postgres", "admin");
        for (String literal : new String[] {"> 3000", "10485760", "> 24 ", "> 1000 ", "> 5000 ", "> 4096", "> 65535"}) {
            assertThat(sql).as("the limit %s comes from the table", literal).doesNotContain(literal);
        }
        assertThat(sql)
                .doesNotContain("${")
                .contains("CREATE EVENT TRIGGER dsql_local_ddl_end")
                .contains("CREATE OR REPLACE FUNCTION sys.dsql_local_limit(limit_name text)");
    }

    @Test
    void mistakesInTheSqlOrTheTableAreRefused() throws Exception {
        DialectRules shipped = DialectRules.latest();
        assertThatThrownBy(() -> render("${limit:max_unicorns}", shipped)).hasMessageContaining("no limit named");
        assertThatThrownBy(() -> render("${nobody}", shipped)).hasMessageContaining("unknown placeholder");
        assertThatThrownBy(() -> render("${raise:merge}", shipped)).hasMessageContaining("not marked raisedBy");
        assertThatThrownBy(() -> render("${raise:x(oops)}", shipped)).hasMessageContaining("name=expression");

        ObjectNode root = (ObjectNode) DialectRules.readTable().deepCopy();
        ((ArrayNode) root.get("rules")).add(JSON.readTree("""
                { "id": "table-count", "until": "2026-08-15", "raisedBy": "database", "sqlstate": "54000",
                  "message": "too many tables", "evidence": "I", "source": "test" }"""));
        assertThatThrownBy(() -> render("${raise:table-count}", table(root)))
                .hasMessageContaining("needs exactly one entry");
    }
}
