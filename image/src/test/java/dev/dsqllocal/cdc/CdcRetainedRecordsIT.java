package dev.dsqllocal.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Without a Kinesis endpoint the emulator keeps a stream's records, readable through its signed
 * {@code /dsql-local/streams/{id}/records}; and the inputs that must neither crash delivery nor lose records: a table
 * without a primary key, a large row, a transaction at DSQL's 3,000-row limit, DDL while streaming.
 */
class CdcRetainedRecordsIT {
    private static CdcTestEmulator dsql;

    @BeforeAll
    static void start() throws Exception {
        dsql = CdcTestEmulator.start(null, null);
    }

    @AfterAll
    static void stop() {
        if (dsql != null) {
            dsql.close();
        }
    }

    @Test
    void recordsAreKeptAndReadableWhenNoKinesisEndpointIsConfigured() throws Exception {
        String streamId = dsql.createStream("arn:aws:kinesis:us-east-1:000000000000:stream/kept");
        assertThat(dsql.keptRecords(streamId)).isEmpty();
        try (Connection c = dsql.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (k text PRIMARY KEY, n bigint, ok boolean, d date, b bytea)");
            s.execute("INSERT INTO kept VALUES ('a', 9007199254740993, true, '1970-01-11', '\\x0102ff')");
            s.execute("DELETE FROM kept WHERE k = 'a'");
        }
        JsonNode records = dsql.awaitKept(streamId, 2, Duration.ofSeconds(30));
        assertThat(records).hasSize(2);
        assertThat(records.get(0).get("after").toString())
                .isEqualTo("{\"k\":\"a\",\"n\":9007199254740993,\"ok\":true,\"d\":10,\"b\":\"AQL/\"}");
        assertThat(records.get(1).get("op").asText()).isEqualTo("d");
        assertThat(records.get(1).get("before").toString()).isEqualTo("{\"k\":\"a\"}");
        // another account's signer sees nothing; an unknown stream is 404
        HttpResponse<String> unknown = dsql.http.send("GET", "/dsql-local/streams/nosuchstream/records", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void hardInputsNeitherCrashDeliveryNorLoseRecords() throws Exception {
        String streamId = dsql.createStream("arn:aws:kinesis:us-east-1:000000000000:stream/hard");
        String big = "x".repeat(300_000);
        try (Connection c = dsql.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE nopk (v int, w text)");
            s.execute("INSERT INTO nopk VALUES (1, 'a')");
            s.execute("UPDATE nopk SET w = 'b' WHERE v = 1");
            s.execute("DELETE FROM nopk WHERE v = 1");
            s.execute("CREATE TABLE wide (id int PRIMARY KEY, body text)");
            s.execute("INSERT INTO wide VALUES (1, '" + big + "')");
            s.execute("UPDATE wide SET id = id WHERE id = 1"); // body unchanged (stored out of line)
            s.execute("CREATE TABLE many (id int PRIMARY KEY, v int)");
            s.execute("INSERT INTO many SELECT g, g FROM generate_series(1, 3000) g");
            s.execute("ALTER TABLE wide ADD COLUMN note text"); // DDL while streaming
            s.execute("INSERT INTO wide VALUES (2, 'small', 'added')");
        }
        JsonNode records = dsql.awaitKept(streamId, 3 + 2 + 3000 + 1, Duration.ofSeconds(60));
        List<JsonNode> nopk = of(records, "nopk");
        assertThat(nopk).extracting(r -> r.get("op").asText()).containsExactly("c", "u", "d");
        assertThat(nopk.get(2).get("before").isNull()).isTrue();
        assertThat(nopk.get(1).get("after").toString()).isEqualTo("{\"v\":1,\"w\":\"b\"}");
        List<JsonNode> wide = of(records, "wide");
        assertThat(wide).hasSize(3);
        assertThat(wide.get(0).get("after").get("body").asText()).isEqualTo(big);
        assertThat(wide.get(2).get("after").toString()).isEqualTo("{\"id\":2,\"body\":\"small\",\"note\":\"added\"}");
        List<JsonNode> many = of(records, "many");
        assertThat(many).hasSize(3000);
        assertThat(many.stream().map(r -> r.get("source").get("txId").asText()).distinct())
                .hasSize(1);
        assertThat(dsql.getStream(streamId).get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void deleteStreamStopsDeliveryAndDropsItsSlot() throws Exception {
        String streamId = dsql.createStream("arn:aws:kinesis:us-east-1:000000000000:stream/gone");
        assertThat(slots()).contains("dsql_cdc_" + streamId);
        HttpResponse<String> deleted = dsql.http.send("DELETE", "/stream/" + dsql.clusterId() + "/" + streamId, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (dsql.http
                                .send("GET", "/stream/" + dsql.clusterId() + "/" + streamId, null)
                                .statusCode()
                        != 404
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        try (Connection c = dsql.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE after_delete (id int PRIMARY KEY)");
            s.execute("INSERT INTO after_delete VALUES (1)");
        }
        assertThat(dsql.http
                        .send("GET", "/dsql-local/streams/" + streamId + "/records", null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(slots()).doesNotContain("dsql_cdc_" + streamId);
    }

    /** The replication slots of the default cluster's PostgreSQL. */
    private static List<String> slots() throws Exception {
        var db = dsql.server
                .clusterDirectory()
                .find(dsql.clusterId())
                .orElseThrow()
                .database()
                .orElseThrow();
        List<String> out = new ArrayList<>();
        try (Connection su = java.sql.DriverManager.getConnection(
                        "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres?user=postgres");
                java.sql.ResultSet rs =
                        su.createStatement().executeQuery("SELECT slot_name FROM pg_replication_slots")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<JsonNode> of(JsonNode records, String table) {
        List<JsonNode> out = new ArrayList<>();
        records.forEach(r -> {
            if (r.get("source").get("table").asText().equals(table)) {
                out.add(r);
            }
        });
        return out;
    }
}
