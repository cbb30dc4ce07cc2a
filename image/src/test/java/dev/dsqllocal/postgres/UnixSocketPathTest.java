package dev.dsqllocal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where a cluster's server puts the Unix socket the gateway relays over, and when it keeps to TCP. */
class UnixSocketPathTest {

    @Test
    void socketFileInTheDataDirectory() {
        assertThat(PostgresServer.unixSocketIn(Path.of("/var/lib/dsql/clusters/abc"), 54321))
                .contains(Path.of("/var/lib/dsql/clusters/abc/.s.PGSQL.54321"));
    }

    @Test
    void tcpOnlyWhenThePathIsTooLongForASocket() {
        Path deep = Path.of("/" + "d".repeat(95));
        assertThat(PostgresServer.unixSocketIn(deep, 5432)).isEmpty(); // 96 + "/.s.PGSQL.5432" > 107 bytes
        assertThat(PostgresServer.unixSocketIn(Path.of("/" + "d".repeat(90)), 5432))
                .isPresent();
    }

    @Test
    void tcpOnlyWhenTheDirectoryWouldNeedQuotingInTheSetting() {
        assertThat(PostgresServer.unixSocketIn(Path.of("/tmp/my clusters/abc"), 5432))
                .isEmpty();
        assertThat(PostgresServer.unixSocketIn(Path.of("/tmp/a,b/abc"), 5432)).isEmpty();
    }
}
