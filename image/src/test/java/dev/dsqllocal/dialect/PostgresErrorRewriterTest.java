package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresErrorRewriterTest {

    private static Map<Character, String> error(String code, String message, Object... more) {
        Map<Character, String> fields = new LinkedHashMap<>();
        fields.put('S', "ERROR");
        fields.put('C', code);
        fields.put('M', message);
        for (int i = 0; i < more.length; i += 2) {
            fields.put((Character) more[i], (String) more[i + 1]);
        }
        return fields;
    }

    @Test
    void plainErrorsAreLeftAlone() {
        assertThat(PostgresErrorRewriter.rewrite(error("42P01", "relation \"t\" does not exist", 'P', "15")))
                .isNull();
    }

    @Test
    void aProcedureCalledAsAFunctionNamesItsLiteralArgumentText() {
        Map<Character, String> out = PostgresErrorRewriter.rewrite(
                error("42809", "sys.wait_for_job(unknown) is a procedure", 'H', "To call a procedure, use CALL."));
        assertThat(out)
                .containsEntry('M', "sys.wait_for_job(text) is a procedure")
                .containsEntry('H', "To call a procedure, use CALL.");
        assertThat(PostgresErrorRewriter.rewrite(error("42809", "p(integer) is a procedure")))
                .isNull();
    }

    @Test
    void aKeyTypeWithoutBtreeClassIsDsqlsUnsupportedKeyType() {
        Map<Character, String> out = PostgresErrorRewriter.rewrite(error(
                "42704",
                "data type json has no default operator class for access method \"btree\"",
                'H',
                "You must specify an operator class for the index or define a default operator class"));
        assertThat(out)
                .containsEntry('C', "0A000")
                .containsEntry('M', "datatype json is not supported in a key")
                .doesNotContainKey('H');
    }

    @Test
    void hiddenNamesAreRevealedAndInternalContextDropped() {
        Map<Character, String> out = PostgresErrorRewriter.rewrite(
                error("42883", "function sys.dsql_l0cal_x(integer) does not exist", 'P', "8"));
        assertThat(out)
                .containsEntry('M', "function sys.dsql_local_x(integer) does not exist")
                .containsEntry('P', "8");
        Map<Character, String> raised = PostgresErrorRewriter.rewrite(error(
                "54000",
                "more than 10 schemas not allowed",
                'W',
                "PL/pgSQL function sys.dsql_local_ddl_end() line 17 at RAISE"));
        assertThat(raised)
                .containsEntry('M', "more than 10 schemas not allowed")
                .doesNotContainKey('W');
    }
}
