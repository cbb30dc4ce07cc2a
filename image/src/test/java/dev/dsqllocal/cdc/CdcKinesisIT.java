package dev.dsqllocal.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dsqllocal.testsupport.Kinesalite;
import dev.dsqllocal.testsupport.TestSupport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CDC streams deliver DSQL's change records to a real Kinesis-compatible server (kinesalite), read back as a
 * consumer would (GetShardIterator/GetRecords over every shard).
 */
class CdcKinesisIT {
    private static Kinesalite kinesis;

    @BeforeAll
    static void startKinesis() throws Exception {
        kinesis = Kinesalite.start();
    }

    @AfterAll
    static void stopKinesis() {
        if (kinesis != null) {
            kinesis.close();
        }
    }

    @Test
    void aTestReadsTheRecordsOfItsOwnInsertsUpdatesAndDeletesFromKinesis() throws Exception {
        String arn = kinesis.createStream("orders-cdc", 2);
        try (CdcTestEmulator dsql = CdcTestEmulator.start(kinesis.endpoint(), null)) {
            String streamId = dsql.createStream(arn);
            try (Connection c = dsql.connect();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id int PRIMARY KEY, item text, price numeric(10,2), at timestamptz)");
                s.execute("INSERT INTO orders VALUES (1, 'book', 12.50, '2026-01-02 03:04:05.123456+00'),"
                        + " (2, 'pen', 1.99, null)");
                s.execute("UPDATE orders SET price = 11.00 WHERE id = 1");
                s.execute("DELETE FROM orders WHERE id = 2");
                c.setAutoCommit(false);
                s.execute("INSERT INTO orders VALUES (3, 'gone', 0, null)");
                s.execute("DELETE FROM orders WHERE id = 3"); // inserted then deleted: nothing
                s.execute("INSERT INTO orders VALUES (4, 'lamp', 30, null)");
                s.execute("UPDATE orders SET item = 'desk lamp' WHERE id = 4"); // one c with the final row
                c.commit();
            }
            List<JsonNode> records = parse(kinesis.awaitRecords("orders-cdc", 5, Duration.ofSeconds(30)));
            assertThat(records).hasSize(5);
            Map<String, List<JsonNode>> byOp = records.stream()
                    .collect(Collectors.groupingBy(r -> r.get("op").asText()));
            assertThat(byOp.get("c")).hasSize(3);
            assertThat(byOp.get("u")).hasSize(1);
            assertThat(byOp.get("d")).hasSize(1);

            JsonNode update = byOp.get("u").get(0);
            assertThat(update.get("type").asText()).isEqualTo("full");
            assertThat(update.get("before").isNull()).isTrue();
            assertThat(update.get("after").toString())
                    .isEqualTo("{\"id\":1,\"item\":\"book\",\"price\":\"11.00\",\"at\":1767323045123456}");
            JsonNode source = update.get("source");
            assertThat(source.get("version").asText()).isEqualTo("1.0");
            assertThat(source.get("schema").asText()).isEqualTo("public");
            assertThat(source.get("table").asText()).isEqualTo("orders");
            assertThat(source.get("db").asText()).isEqualTo("postgres");
            assertThat(source.get("cluster").asText()).isEqualTo(dsql.clusterId());
            assertThat(source.get("txId").asText()).matches("[a-z2-7]{26}");
            assertThat(source.get("ts_ns").asLong() / 1_000_000)
                    .isEqualTo(source.get("ts_ms").asLong());
            assertThat(update.get("ts_ns").asLong())
                    .isGreaterThanOrEqualTo(source.get("ts_ns").asLong());

            JsonNode delete = byOp.get("d").get(0);
            assertThat(delete.get("before").toString()).isEqualTo("{\"id\":2}");
            assertThat(delete.get("after").isNull()).isTrue();

            List<String> inserted = byOp.get("c").stream()
                    .map(r -> r.get("after").get("item").asText())
                    .sorted()
                    .toList();
            assertThat(inserted).containsExactly("book", "desk lamp", "pen");
            // both rows of the first INSERT share its transaction id; the last transaction has its own
            JsonNode book = byOp.get("c").stream()
                    .filter(r -> r.get("after").get("id").asInt() == 1)
                    .findFirst()
                    .orElseThrow();
            JsonNode pen = byOp.get("c").stream()
                    .filter(r -> r.get("after").get("id").asInt() == 2)
                    .findFirst()
                    .orElseThrow();
            JsonNode lamp = byOp.get("c").stream()
                    .filter(r -> r.get("after").get("id").asInt() == 4)
                    .findFirst()
                    .orElseThrow();
            assertThat(pen.get("source").get("txId"))
                    .isEqualTo(book.get("source").get("txId"));
            assertThat(lamp.get("source").get("txId"))
                    .isNotEqualTo(book.get("source").get("txId"));
            assertThat(pen.get("after").get("at").isNull()).isTrue();
            assertThat(dsql.getStream(streamId).get("status").asText()).isEqualTo("ACTIVE");
        }
    }

    @Test
    void aKinesisStreamThatDoesNotExistSendsTheStreamToFailed() throws Exception {
        try (CdcTestEmulator dsql = CdcTestEmulator.start(kinesis.endpoint(), null)) {
            String streamId = dsql.createStream("arn:aws:kinesis:us-east-1:000000000000:stream/no-such-stream");
            try (Connection c = dsql.connect();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int PRIMARY KEY)");
                s.execute("INSERT INTO t VALUES (1)");
            }
            JsonNode stream = dsql.awaitStatus(streamId, "FAILED", Duration.ofSeconds(30));
            assertThat(stream.get("status").asText()).isEqualTo("FAILED");
            assertThat(stream.get("statusReason").get("error").asText()).isEqualTo("KINESIS_STREAM_NOT_FOUND");
            assertThat(stream.get("statusReason").has("updatedAt")).isTrue();
        }
    }

    /**
     * Changes committed while the Kinesis endpoint is down are delivered once it is up, also when the emulator
     * was restarted in between (persistent mode: the slot's position is part of the data directory).
     */
    @Test
    void changesCommittedWhileKinesisIsDownArriveAfterAnEmulatorRestart(@TempDir Path data) throws Exception {
        int port = Kinesalite.freePort();
        String arn = "arn:aws:kinesis:us-east-1:000000000000:stream/later";
        String dir = TestSupport.dataDir(data);
        String streamId;
        try (CdcTestEmulator dsql = CdcTestEmulator.start(java.net.URI.create("http://127.0.0.1:" + port), dir)) {
            streamId = dsql.createStream(arn);
            try (Connection c = dsql.connect();
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE pending (id int PRIMARY KEY, v text)");
                s.execute("INSERT INTO pending VALUES (1, 'a'), (2, 'b')");
                s.execute("UPDATE pending SET v = 'c' WHERE id = 2");
            }
            Thread.sleep(500); // delivery is being retried against the closed port
            assertThat(dsql.getStream(streamId).get("status").asText()).isEqualTo("ACTIVE");
        }
        try (Kinesalite later = Kinesalite.start(port)) {
            later.createStream("later", 1);
            try (CdcTestEmulator dsql = CdcTestEmulator.start(later.endpoint(), dir)) {
                List<JsonNode> records = parse(later.awaitRecords("later", 3, Duration.ofSeconds(60)));
                List<String> ops = new ArrayList<>();
                records.forEach(r -> ops.add(r.get("op").asText()
                        + r.get("after").get("id")
                        + r.get("after").get("v")));
                assertThat(ops).contains("c1\"a\"", "c2\"b\"", "u2\"c\"");
                assertThat(dsql.getStream(streamId).get("status").asText()).isEqualTo("ACTIVE");
            }
        }
    }

    static List<JsonNode> parse(List<String> texts) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String t : texts) {
            out.add(CdcTestEmulator.JSON.readTree(t));
        }
        return out;
    }
}
