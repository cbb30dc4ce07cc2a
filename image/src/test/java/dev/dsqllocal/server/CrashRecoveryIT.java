package dev.dsqllocal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.clusters.ClusterView;
import dev.dsqllocal.testsupport.ServerProcess;
import dev.dsqllocal.testsupport.TestSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a running emulator (a child JVM started through {@link Main}) loses nothing: the clusters and
 * the rows written to a cluster's PostgreSQL are there after a restart on the same data directory.
 */
class CrashRecoveryIT {
    @TempDir
    Path dataDir;

    @Test
    void stateAndDatabaseContentsSurviveKillNine() throws Exception {
        Process child = ServerProcess.spawn(List.of(
                "--data-dir",
                TestSupport.dataDir(dataDir),
                "--api-port",
                "0",
                "--sql-port",
                "0",
                "--bind-address",
                "127.0.0.1",
                "--initial-clusters",
                "1"));
        Long postmasterPid = null;
        try {
            child.getOutputStream().close();
            CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.contains(DsqlLocalServer.READY_PREFIX)) {
                            return true;
                        }
                    }
                } catch (java.io.IOException e) {
                    return false;
                }
                return false;
            });
            assertThat(ready.get(120, TimeUnit.SECONDS)).isTrue();
            String clusterId = new ObjectMapper()
                    .readTree(dataDir.resolve("state.json").toFile())
                    .get("defaultClusterId")
                    .asText();
            List<String> pid = Files.readAllLines(
                    dataDir.resolve("clusters").resolve(clusterId).resolve("postmaster.pid"));
            postmasterPid = Long.parseLong(pid.get(0).trim());
            int port = Integer.parseInt(pid.get(3).trim());
            try (Connection c = DriverManager.getConnection(
                            "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "admin", "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE survivors (id int PRIMARY KEY, name text)");
                s.execute("INSERT INTO survivors VALUES (1, 'one'), (2, 'two')");
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            try (DsqlLocalServer server = DsqlLocalServer.start(ServerConfig.of(Map.of(
                    Option.API_PORT,
                    "0",
                    Option.SQL_PORT,
                    "0",
                    Option.BIND_ADDRESS,
                    "127.0.0.1",
                    Option.DATA_DIR,
                    TestSupport.dataDir(dataDir))))) {
                assertThat(server.defaultClusterId()).hasValue(clusterId);
                ClusterView view = server.clusterDirectory().find(clusterId).orElseThrow();
                assertThat(view.status()).isEqualTo(ClusterStatus.ACTIVE);
                var db = view.database().orElseThrow();
                try (Connection c = DriverManager.getConnection(
                                "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres", "admin", "");
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT count(*) FROM survivors")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(2);
                }
            }
        } finally {
            child.destroyForcibly();
            // The killed JVM's postmaster is orphaned; the restarted fleet takes it over, but never leave one behind.
            Optional.ofNullable(postmasterPid).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
