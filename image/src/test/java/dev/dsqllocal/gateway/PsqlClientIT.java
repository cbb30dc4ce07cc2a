package dev.dsqllocal.gateway;

import static dev.dsqllocal.gateway.GatewayFixture.adminToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** libpq's psql (Debian's psql 15 here) against the gateway, when it is installed. */
class PsqlClientIT {

    private static String psql(String conninfo, String sql) throws Exception {
        Process p = new ProcessBuilder(List.of("psql", conninfo, "-X", "-A", "-t", "-c", sql))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }

    @Test
    void psqlWithSslModeRequireAndVerifyFull() throws Exception {
        assertThat(Files.isExecutable(Path.of("/usr/bin/psql")))
                .as("psql is needed by this test: install postgresql-client")
                .isTrue();
        GatewayFixture fx = GatewayFixture.get();
        int port = fx.gateway.port();
        String token = adminToken("localhost");
        assertThat(psql(
                        "host=localhost port=" + port + " user=admin dbname=postgres sslmode=require password=" + token,
                        "select 1"))
                .isEqualTo("1");
        assertThat(psql(
                        "host=localhost port=" + port + " user=admin dbname=postgres sslmode=verify-full sslrootcert="
                                + fx.caFile() + " password=" + token,
                        "select current_user"))
                .isEqualTo("admin");
        assertThat(psql(
                        "host=localhost port=" + port + " user=admin dbname=postgres sslmode=require password=nope",
                        "select 1"))
                .contains("FATAL:  unable to accept connection, access denied");
        assertThat(psql(
                        "host=localhost port=" + port + " user=admin dbname=postgres sslmode=disable password=" + token,
                        "select 1"))
                .contains("FATAL:  SSL is mandatory");
    }
}
