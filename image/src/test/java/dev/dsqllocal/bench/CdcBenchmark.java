package dev.dsqllocal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import dev.dsqllocal.testsupport.Kinesalite;
import dev.dsqllocal.testsupport.SignedHttp;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * CDC through kinesalite (not a test; run by hand with {@code java -cp <test classpath>
 * dev.dsqllocal.bench.CdcBenchmark [rows] [statements]}): the emulator as shipped with {@code --kinesis-endpoint},
 * one pgJDBC connection through the gateway.
 * <ol>
 *   <li>commit-to-record latency: single-row autocommit INSERTs, 20 ms apart; per record, Kinesis' arrival time
 *       minus the record's {@code source.ts_ns} (commit time); p50 and p99;
 *   <li>sustained records/s: {@code rows} rows in INSERTs of 500 rows, as fast as they commit; records over the
 *       time from the first commit to the last record's arrival;
 *   <li>cost per committed write: autocommit single-row INSERTs without a stream and with one, alternating by
 *       round (the stream is deleted and created again), median time per statement of each, and their ratio.
 * </ol>
 */
public final class CdcBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CdcBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int statements = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        try (Kinesalite kinesis = Kinesalite.start();
                DsqlLocalServer server = DsqlLocalServer.start(ServerConfig.of(Map.of(
                        Option.API_PORT, "0",
                        Option.SQL_PORT, "0",
                        Option.BIND_ADDRESS, "127.0.0.1",
                        Option.KINESIS_ENDPOINT, kinesis.endpoint().toString())))) {
            SignedHttp http = new SignedHttp(server.apiPort());
            String cluster = server.defaultClusterId().orElseThrow();
            String token = DsqlUtilities.builder()
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .build()
                    .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
            try (Connection c = DriverManager.getConnection(
                            "jdbc:postgresql://localhost:" + server.sqlPort() + "/postgres?sslmode=require",
                            "admin",
                            token);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE bench (id bigint PRIMARY KEY, v text)");
                String arn = kinesis.createStream("bench", 4);
                String stream = createStream(http, cluster, arn);

                // 1. latency
                int latencyRows = 500;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench VALUES (?, 'latency')")) {
                    for (int i = 1; i <= latencyRows; i++) {
                        insert.setLong(1, i);
                        insert.executeUpdate();
                        Thread.sleep(20);
                    }
                }
                List<Double> latencies = new ArrayList<>();
                for (Arrival a : awaitAll(kinesis, latencyRows)) {
                    latencies.add((a.arrivedMs * 1_000_000.0 - a.commitNs) / 1_000_000.0);
                }
                Collections.sort(latencies);
                System.out.printf(
                        "commit-to-record latency over %d records: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        latencies.size(), pct(latencies, 50), pct(latencies, 99), latencies.get(latencies.size() - 1));

                // 2. throughput
                int before = latencyRows;
                long firstCommitNs = Long.MAX_VALUE;
                for (int start = 0; start < rows; start += 500) {
                    s.execute("INSERT INTO bench SELECT g, 'bulk' FROM generate_series(" + (100_000 + start) + ", "
                            + (100_000 + Math.min(rows, start + 500) - 1) + ") g");
                    if (start == 0) {
                        firstCommitNs = System.currentTimeMillis() * 1_000_000L;
                    }
                }
                List<Arrival> all = awaitAll(kinesis, before + rows);
                long lastArrival =
                        all.stream().mapToLong(a -> a.arrivedMs).max().orElseThrow();
                double seconds = (lastArrival - firstCommitNs / 1_000_000.0) / 1000.0;
                System.out.printf(
                        "sustained: %d records delivered in %.2f s after the first commit: %.0f records/s%n",
                        all.size() - before, seconds, (all.size() - before) / seconds);

                // 3. cost per committed write, alternating rounds without / with a stream
                http.send("DELETE", "/stream/" + cluster + "/" + stream, null);
                Thread.sleep(500);
                List<Double> without = new ArrayList<>();
                List<Double> with = new ArrayList<>();
                long id = 1_000_000;
                for (int round = 0; round < 6; round++) {
                    boolean streaming = round % 2 == 1;
                    if (streaming) {
                        stream = createStream(http, cluster, arn);
                    }
                    long t0 = System.nanoTime();
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench VALUES (?, 'cost')")) {
                        for (int i = 0; i < statements; i++) {
                            insert.setLong(1, id++);
                            insert.executeUpdate();
                        }
                    }
                    double perStatementUs = (System.nanoTime() - t0) / 1000.0 / statements;
                    (streaming ? with : without).add(perStatementUs);
                    if (streaming) {
                        http.send("DELETE", "/stream/" + cluster + "/" + stream, null);
                        Thread.sleep(500);
                    }
                }
                Collections.sort(without);
                Collections.sort(with);
                System.out.printf(
                        "per committed single-row INSERT: %.0f µs without a stream, %.0f µs with one: ratio %.2f"
                                + " (rounds without %s, with %s)%n",
                        pct(without, 50), pct(with, 50), pct(with, 50) / pct(without, 50), without, with);
            }
        }
    }

    private record Arrival(long commitNs, long arrivedMs) {}

    private static List<Arrival> awaitAll(Kinesalite kinesis, int count) throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        List<Arrival> got = read(kinesis);
        while (got.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(200);
            got = read(kinesis);
        }
        return got;
    }

    private static List<Arrival> read(Kinesalite kinesis) throws Exception {
        List<Arrival> out = new ArrayList<>();
        var client = kinesis.client();
        for (Shard shard : client.listShards(b -> b.streamName("bench")).shards()) {
            String it = client.getShardIterator(b -> b.streamName("bench")
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (it != null) {
                String current = it;
                var page = client.getRecords(b -> b.shardIterator(current).limit(10_000));
                for (Record r : page.records()) {
                    JsonNode record = JSON.readTree(r.data().asByteArray());
                    out.add(new Arrival(
                            record.get("source").get("ts_ns").asLong(),
                            r.approximateArrivalTimestamp().toEpochMilli()));
                }
                it = page.records().isEmpty() ? null : page.nextShardIterator();
            }
        }
        return out;
    }

    private static String createStream(SignedHttp http, String cluster, String arn) throws Exception {
        var r = http.send(
                "POST",
                "/stream/" + cluster,
                "{\"targetDefinition\":{\"kinesis\":{\"streamArn\":\"" + arn
                        + "\",\"roleArn\":\"arn:aws:iam::000000000000:role/cdc\"}},\"ordering\":\"UNORDERED\","
                        + "\"format\":\"JSON\"}");
        String id = JSON.readTree(r.body()).get("streamIdentifier").asText();
        Thread.sleep(300);
        return id;
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
