package dev.dsqllocal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.testsupport.SignedHttp;
import dev.dsqllocal.testsupport.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dsql.DsqlClient;

/** State survives a restart; transitions interrupted by a stop are finished; orphan databases are removed. */
class PersistenceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.function.Consumer<
                    software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration.Builder>
            FAST = w -> w.maxAttempts(600)
            .backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(Duration.ofMillis(100)));

    @TempDir
    Path dataDir;

    private DsqlLocalServer start(String createDelay, String deleteDelay) throws Exception {
        Map<Option, String> o = new EnumMap<>(Option.class);
        o.put(Option.API_PORT, "0");
        o.put(Option.BIND_ADDRESS, "127.0.0.1");
        o.put(Option.DATA_DIR, TestSupport.dataDir(dataDir));
        o.put(Option.CREATE_DELAY, createDelay);
        o.put(Option.DELETE_DELAY, deleteDelay);
        return DsqlLocalServer.start(ServerConfig.of(o), TestSupport.fleets(), null);
    }

    @Test
    void everythingSurvivesARestartAndInterruptedTransitionsFinish() throws Exception {
        String defaultId;
        String tagged;
        String creating;
        String deleting;
        String streamId;
        String token = "retry-me-1";
        try (DsqlLocalServer server = start("0s", "0s");
                DsqlClient dsql = ControlPlaneSdkIT.client(server.apiPort(), "test", "test")) {
            defaultId = server.defaultClusterId().orElseThrow();
            tagged = dsql.createCluster(
                            r -> r.clientToken(token).tags(Map.of("a", "b")).policy("{\"Statement\":[]}"))
                    .identifier();
            dsql.waiter().waitUntilClusterActive(r -> r.identifier(tagged), FAST);
            deleting =
                    dsql.createCluster(r -> r.deletionProtectionEnabled(false)).identifier();
            dsql.waiter().waitUntilClusterActive(r -> r.identifier(deleting), FAST);
            SignedHttp http = new SignedHttp(server.apiPort());
            JsonNode stream = JSON.readTree(http.send(
                            "POST",
                            "/stream/" + tagged,
                            "{\"targetDefinition\":{\"kinesis\":"
                                    + "{\"streamArn\":\"arn:aws:kinesis:us-east-1:000000000000:stream/s\",\"roleArn\":"
                                    + "\"arn:aws:iam::000000000000:role/r\"}},\"ordering\":\"UNORDERED\",\"format\":\"JSON\"}")
                    .body());
            streamId = stream.get("streamIdentifier").asText();
        }
        // Second run: long delays, so a create and a delete are caught mid-way by the stop.
        try (DsqlLocalServer server = start("1h", "1h");
                DsqlClient dsql = ControlPlaneSdkIT.client(server.apiPort(), "test", "test")) {
            assertThat(server.defaultClusterId()).hasValue(defaultId);
            var got = dsql.getCluster(r -> r.identifier(tagged));
            assertThat(got.status().toString()).isEqualTo("ACTIVE");
            assertThat(got.tags()).containsEntry("a", "b");
            assertThat(dsql.getClusterPolicy(r -> r.identifier(tagged)).policyVersion())
                    .isEqualTo("1");
            assertThat(dsql.createCluster(r ->
                                    r.clientToken(token).tags(Map.of("a", "b")).policy("{\"Statement\":[]}"))
                            .identifier())
                    .isEqualTo(tagged);
            SignedHttp http = new SignedHttp(server.apiPort());
            assertThat(http.send("GET", "/stream/" + tagged + "/" + streamId, null)
                            .statusCode())
                    .isEqualTo(200);
            creating =
                    dsql.createCluster(r -> r.deletionProtectionEnabled(false)).identifier();
            dsql.deleteCluster(r -> r.identifier(deleting));
            assertThat(server.clusterDirectory().find(creating).orElseThrow().status())
                    .isEqualTo(ClusterStatus.CREATING);
            assertThat(server.clusterDirectory().find(deleting).orElseThrow().status())
                    .isEqualTo(ClusterStatus.DELETING);
        }
        Path orphan = dataDir.resolve("clusters").resolve("ruabtlcu6nqjdl6k6jjcug67ta");
        Files.createDirectories(orphan);
        try (DsqlLocalServer server = start("0s", "0s")) {
            assertThat(server.clusterService().awaitActive(creating, Duration.ofSeconds(60)))
                    .isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (server.clusterDirectory().find(deleting).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.clusterDirectory().find(deleting)).isEmpty();
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Files.exists(orphan) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(orphan).doesNotExist();
            assertThat(dataDir.resolve("clusters").resolve(deleting)).doesNotExist();
            assertThat(server.clusterDirectory().defaultCluster().orElseThrow().identifier())
                    .isEqualTo(defaultId);
        }
    }

    @Test
    void ephemeralModeRemovesItsDirectory() throws Exception {
        Path dir;
        try (DsqlLocalServer server = DsqlLocalServer.start(
                ServerConfig.of(Map.of(Option.API_PORT, "0", Option.BIND_ADDRESS, "127.0.0.1")),
                TestSupport.fleets(),
                null)) {
            dir = server.dataDir();
            assertThat(dir.resolve("state.json")).exists();
        }
        assertThat(dir).doesNotExist();
    }
}
