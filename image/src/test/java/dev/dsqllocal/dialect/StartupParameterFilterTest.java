package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupParameterFilterTest {

    private final StartupParameterFilter filter = new StartupParameterFilter(DialectRules.latest());

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void whatPgJdbcAndTheAwsConnectorSendIsAccepted() {
        assertThat(filter.check(params(
                        "user",
                        "admin",
                        "database",
                        "postgres",
                        "client_encoding",
                        "UTF8",
                        "DateStyle",
                        "ISO",
                        "TimeZone",
                        "Europe/Berlin",
                        "extra_float_digits",
                        "2",
                        "application_name",
                        "PostgreSQL JDBC Driver",
                        "search_path",
                        "app",
                        "options",
                        "-c search_path=app,public")))
                .isEmpty();
    }

    @Test
    void whatPsqlAndNpgsqlSendIsAccepted() {
        assertThat(filter.check(params(
                        "user",
                        "admin",
                        "database",
                        "postgres",
                        "application_name",
                        "psql",
                        "client_encoding",
                        "UTF8")))
                .isEmpty();
        assertThat(filter.check(params(
                        "user",
                        "admin",
                        "database",
                        "postgres",
                        "client_encoding",
                        "UTF8",
                        "_pq_.some_extension",
                        "x")))
                .isEmpty();
    }

    @Test
    void otherParametersAreRefusedLikeSet() {
        DsqlError e = filter.check(params("user", "admin", "default_transaction_read_only", "on"))
                .orElseThrow();
        assertThat(e.severity()).isEqualTo("FATAL");
        assertThat(e.sqlstate()).isEqualTo("0A000");
        assertThat(e.message())
                .isEqualTo("setting configuration parameter \"default_transaction_read_only\" not supported");
    }

    @Test
    void optionsAreParsedLikePostgres() {
        assertThat(StartupParameterFilter.optionNames("-c search_path=a\\ b --DateStyle=ISO -cstatement-timeout=5"))
                .containsExactly("search_path", "datestyle", "statement_timeout");
        assertThat(filter.check(params("options", "-c statement_timeout=5000"))
                        .orElseThrow()
                        .message())
                .isEqualTo("setting configuration parameter \"statement_timeout\" not supported");
        assertThat(filter.check(params("options", "-d 5")).orElseThrow().message())
                .isEqualTo("setting configuration parameter \"options\" not supported");
    }

    @Test
    void roleCannotBeSetForTheWholeSession() {
        assertThat(filter.check(params("options", "-c role=app"))).isPresent();
    }
}
