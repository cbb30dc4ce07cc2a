package dev.dsqllocal.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import dev.dsqllocal.testsupport.SignedHttp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/** The emulator for CDC tests: SQL through the gateway as a user would, streams through the signed API. */
final class CdcTestEmulator implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ROLE = "arn:aws:iam::000000000000:role/cdc";

    final DsqlLocalServer server;
    final SignedHttp http;

    private CdcTestEmulator(DsqlLocalServer server) {
        this.server = server;
        this.http = new SignedHttp(server.apiPort());
    }

    /** @param kinesis the Kinesis endpoint, or null to keep records in the emulator */
    static CdcTestEmulator start(URI kinesis, String dataDir) throws Exception {
        Map<Option, String> o = new EnumMap<>(Option.class);
        o.put(Option.API_PORT, "0");
        o.put(Option.SQL_PORT, "0");
        o.put(Option.BIND_ADDRESS, "127.0.0.1");
        if (kinesis != null) {
            o.put(Option.KINESIS_ENDPOINT, kinesis.toString());
        }
        if (dataDir != null) {
            o.put(Option.DATA_DIR, dataDir);
        }
        return new CdcTestEmulator(DsqlLocalServer.start(ServerConfig.of(o)));
    }

    String clusterId() {
        return server.defaultClusterId().orElseThrow();
    }

    Connection connect() throws SQLException {
        String token = DsqlUtilities.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + server.sqlPort() + "/postgres?sslmode=require", "admin", token);
    }

    /** CreateStream on the default cluster to the Kinesis stream ARN; waits until it leaves CREATING. */
    String createStream(String kinesisArn) throws Exception {
        HttpResponse<String> r = http.send(
                "POST",
                "/stream/" + clusterId(),
                "{\"targetDefinition\":{\"kinesis\":{\"streamArn\":\"" + kinesisArn + "\",\"roleArn\":\"" + ROLE
                        + "\"}},\"ordering\":\"UNORDERED\",\"format\":\"JSON\"}");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("CreateStream: " + r.statusCode() + " " + r.body());
        }
        String id = JSON.readTree(r.body()).get("streamIdentifier").asText();
        awaitStatus(id, "ACTIVE", Duration.ofSeconds(30));
        return id;
    }

    JsonNode getStream(String streamId) throws Exception {
        return JSON.readTree(http.send("GET", "/stream/" + clusterId() + "/" + streamId, null)
                .body());
    }

    JsonNode awaitStatus(String streamId, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode s = getStream(streamId);
        while (!status.equals(s.path("status").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = getStream(streamId);
        }
        return s;
    }

    /** The records the emulator kept for the stream (no Kinesis endpoint). */
    JsonNode keptRecords(String streamId) throws Exception {
        HttpResponse<String> r = http.send("GET", "/dsql-local/streams/" + streamId + "/records", null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("records");
    }

    JsonNode awaitKept(String streamId, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode got = keptRecords(streamId);
        while (got.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            got = keptRecords(streamId);
        }
        return got;
    }

    @Override
    public void close() {
        server.close();
    }
}
