package dev.dsqllocal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dsqllocal.dialect.DialectEpoch;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DialectOptionTest {

    @Test
    void latestByDefault() {
        assertThat(ServerConfig.of(Map.of()).dialect()).contains(DialectEpoch.LATEST);
    }

    @Test
    void anEpochPinsTheRulesAndOffTurnsTheDialectOff() {
        ServerConfig month = ServerConfig.parse(new String[] {"--dialect", "2025-06"}, Map.of());
        assertThat(month.dialect()).contains(new DialectEpoch(LocalDate.of(2025, 6, 30)));
        ServerConfig day = ServerConfig.parse(new String[0], Map.of("DSQL_LOCAL_DIALECT", "2026-09-15"));
        assertThat(day.dialect()).contains(new DialectEpoch(LocalDate.of(2026, 9, 15)));
        assertThat(ServerConfig.parse(new String[] {"--dialect=OFF"}, Map.of()).dialect())
                .isEmpty();
    }

    @Test
    void anInvalidValueNamesTheOption() {
        assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("DSQL_LOCAL_DIALECT", "yesterday")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DSQL_LOCAL_DIALECT")
                .hasMessageContaining("yesterday");
    }
}
