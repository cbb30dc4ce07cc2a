package dev.dsqllocal.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.SqlGatewayFactory;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The contract file and the server agree: what the module reads there is what the server prints, serves and reads. */
class ServerContractTest {

    @Test
    void everyEnvironmentVariableInTheContractIsAnOptionOfTheServer() {
        Set<String> options = Arrays.stream(Option.values()).map(Option::envVar).collect(Collectors.toSet());
        Set<String> contracted = ServerContract.all().stringPropertyNames().stream()
                .filter(key -> key.startsWith("env."))
                .map(ServerContract::value)
                .collect(Collectors.toSet());
        assertThat(contracted).isNotEmpty();
        assertThat(options).containsAll(contracted);
    }

    @Test
    void theServerPrintsAndServesWhatTheContractSays() {
        assertThat(DsqlLocalServer.READY_PREFIX).isEqualTo(ServerContract.value("ready.log.line"));
        assertThat(SqlGatewayFactory.CA_PATH).isEqualTo(ServerContract.value("ca.path"));
        assertThat(ServerContract.HEALTH_PATH).isEqualTo("/dsql-local/health");
        assertThat(ServerContract.value("api.port")).isEqualTo(Option.API_PORT.defaultValue());
        assertThat(ServerContract.value("sql.port")).isEqualTo(Option.SQL_PORT.defaultValue());
    }
}
