package dev.dsqllocal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.clusters.Cluster;
import dev.dsqllocal.clusters.ClusterSnapshot;
import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.clusters.StreamStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file's layout: files written by earlier versions load, and what is saved loads back the same. */
class StateStoreTest {
    /** A state.json as the emulator wrote it before the domain records became immutable (plus an unknown field). */
    private static final String EARLIER_FILE = """
            {
              "schemaVersion" : 1,
              "defaultClusterId" : "aaaaaaaaaaaaaaaaaaaaaaaaaa",
              "initialized" : true,
              "futureField" : "ignored",
              "clusters" : {
                "aaaaaaaaaaaaaaaaaaaaaaaaaa" : {
                  "identifier" : "aaaaaaaaaaaaaaaaaaaaaaaaaa", "accountId" : "000000000000", "region" : "us-east-1",
                  "status" : "ACTIVE", "creationTime" : 1000, "statusSince" : 2000,
                  "deletionProtectionEnabled" : false, "kmsKeyArn" : null, "encryptionChanging" : false,
                  "multiRegion" : true, "witnessRegion" : "us-west-2",
                  "peerClusterArns" : [ "arn:aws:dsql:us-east-2:000000000000:cluster/bbbbbbbbbbbbbbbbbbbbbbbbbb" ],
                  "tags" : { "b" : "2", "a" : "1" },
                  "policy" : "{}", "policyVersion" : 3, "policyVersionCounter" : 3,
                  "streams" : {
                    "cccccccccccccccccccccccccc" : {
                      "identifier" : "cccccccccccccccccccccccccc", "status" : "DELETING", "creationTime" : 1500,
                      "statusSince" : 2500, "ordering" : "UNORDERED", "format" : "JSON",
                      "kinesisStreamArn" : "arn:aws:kinesis:us-east-1:000000000000:stream/s",
                      "roleArn" : "arn:aws:iam::000000000000:role/r", "tags" : { }
                    }
                  }
                }
              },
              "idempotency" : {
                "000000000000/us-east-1/CreateCluster/t" : {
                  "key" : "000000000000/us-east-1/CreateCluster/t", "fingerprint" : { },
                  "response" : { "identifier" : "aaaaaaaaaaaaaaaaaaaaaaaaaa" }, "createdAt" : 3000
                }
              }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aFileOfAnEarlierVersionLoadsWithEveryField() throws Exception {
        Files.writeString(dir.resolve("state.json"), EARLIER_FILE, StandardCharsets.UTF_8);
        StateStore store = new StateStore(dir, false).load();
        ClusterSnapshot snapshot = store.clusters();
        assertThat(snapshot.initialized()).isTrue();
        assertThat(snapshot.defaultClusterId()).contains("a".repeat(26));
        Cluster c = snapshot.clusters().get("a".repeat(26));
        assertThat(c.status()).isEqualTo(ClusterStatus.ACTIVE);
        assertThat(c.statusSince()).isEqualTo(2000);
        assertThat(c.deletionProtectionEnabled()).isFalse();
        assertThat(c.witnessRegion()).isEqualTo("us-west-2");
        assertThat(c.peerClusterArns()).hasSize(1);
        assertThat(c.tags().keySet()).containsExactly("b", "a");
        assertThat(c.policyVersion()).isEqualTo(3);
        assertThat(c.streams().get("c".repeat(26)).status()).isEqualTo(StreamStatus.DELETING);
        assertThat(store.idempotency()
                        .get("000000000000/us-east-1/CreateCluster/t")
                        .response()
                        .get("identifier")
                        .asText())
                .isEqualTo("a".repeat(26));
    }

    @Test
    void whatIsSavedLoadsBackEqualAndKeepsTheOtherPart() throws Exception {
        Files.writeString(dir.resolve("state.json"), EARLIER_FILE, StandardCharsets.UTF_8);
        StateStore store = new StateStore(dir, false).load();
        Cluster c = store.clusters().clusters().get("a".repeat(26));
        Cluster changed = c.withStatus(ClusterStatus.UPDATING, 9000)
                .withTags(Map.of("z", "26"))
                .withoutPolicy();
        store.save(new ClusterSnapshot(Map.of(changed.identifier(), changed), Optional.of(changed.identifier()), true));
        StateStore reloaded = new StateStore(dir, false).load();
        assertThat(reloaded.clusters().clusters().get(changed.identifier())).isEqualTo(changed);
        // Saving the clusters kept the idempotency records, and the other way round.
        assertThat(reloaded.idempotency()).hasSize(1);
        reloaded.saveIdempotency(Map.of());
        StateStore third = new StateStore(dir, false).load();
        assertThat(third.idempotency()).isEmpty();
        assertThat(third.clusters().clusters()).containsOnlyKeys(changed.identifier());
        assertThat(new ObjectMapper()
                        .readTree(dir.resolve("state.json").toFile())
                        .get("schemaVersion")
                        .asInt())
                .isEqualTo(1);
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    @Test
    void savesInsideOneWriteReachTheFileTogetherAtItsEnd() throws Exception {
        StateStore store = new StateStore(dir, false).load();
        Path file = dir.resolve("state.json");
        String written = store.inOneWrite(() -> {
            store.save(new ClusterSnapshot(Map.of(), Optional.of("d".repeat(26)), true));
            assertThat(file).doesNotExist();
            store.saveIdempotency(Map.of(
                    "k",
                    new IdempotencyRecord(
                            "k", new ObjectMapper().createObjectNode(), new ObjectMapper().createObjectNode(), 1)));
            assertThat(file).doesNotExist();
            return "done";
        });
        assertThat(written).isEqualTo("done");
        StateStore reloaded = new StateStore(dir, false).load();
        assertThat(reloaded.clusters().defaultClusterId()).contains("d".repeat(26));
        assertThat(reloaded.idempotency()).containsOnlyKeys("k");
        // Outside, every save is written at once.
        store.saveIdempotency(Map.of());
        assertThat(new StateStore(dir, false).load().idempotency()).isEmpty();
    }

    @Test
    void aFirstStartHasAnEmptyState() {
        StateStore store = new StateStore(dir, false).load();
        assertThat(store.clusters()).isEqualTo(ClusterSnapshot.empty());
        assertThat(store.idempotency()).isEmpty();
    }
}
