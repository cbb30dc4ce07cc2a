package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * CDC from the container: records kept by the emulator ({@code changeRecords}), and records delivered to a Kinesis
 * endpoint ({@code withKinesisEndpoint}) — a kinesalite on the host, which the container reaches through Docker's
 * host gateway.
 */
class ChangeRecordsIT {
    private static final Pattern STREAM_ID = Pattern.compile("\"streamIdentifier\":\"([a-z0-9]+)\"");
    private static final Path KINESALITE = Path.of("target", "kinesalite").toAbsolutePath();

    @Test
    void changeRecordsReturnsTheRecordsTheEmulatorKept() throws Exception {
        DsqlContainer dsql = SharedDsql.DSQL;
        String streamId = createStream(dsql, "arn:aws:kinesis:us-east-1:000000000000:stream/kept");
        try (Connection c = TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS cdc_kept (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO cdc_kept VALUES (1, 'one')");
            s.execute("UPDATE cdc_kept SET v = 'uno' WHERE id = 1");
            s.execute("DELETE FROM cdc_kept WHERE id = 1");
        }
        List<String> records = dsql.changeRecords(streamId);
        for (int i = 0; i < 300 && records.size() < 3; i++) {
            Thread.sleep(100);
            records = dsql.changeRecords(streamId);
        }
        assertThat(records).hasSize(3);
        assertThat(records.get(0))
                .startsWith("{\"type\":\"full\",\"op\":\"c\",\"before\":null,\"after\":{\"id\":1,\"v\":\"one\"}");
        assertThat(records.get(1)).contains("\"op\":\"u\"", "\"after\":{\"id\":1,\"v\":\"uno\"}");
        assertThat(records.get(2)).contains("\"op\":\"d\"", "\"before\":{\"id\":1},\"after\":null");
    }

    @Test
    void withKinesisEndpointDeliversToKinesis() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process kinesalite = startKinesalite(port);
        try (KinesisClient kinesis = KinesisClient.builder()
                        .endpointOverride(URI.create("http://127.0.0.1:" + port))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .build();
                DsqlContainer dsql = new DsqlContainer()
                        .withKinesisEndpoint("http://host.docker.internal:" + port)
                        .withExtraHost("host.docker.internal", "host-gateway")) {
            dsql.start();
            kinesis.createStream(b -> b.streamName("from-container").shardCount(2));
            for (int i = 0; i < 100; i++) {
                if (kinesis.describeStream(b -> b.streamName("from-container"))
                        .streamDescription()
                        .streamStatusAsString()
                        .equals("ACTIVE")) {
                    break;
                }
                Thread.sleep(50);
            }
            createStream(dsql, "arn:aws:kinesis:us-east-1:000000000000:stream/from-container");
            try (Connection c = TestClients.connect(dsql.getJdbcUrl(), "admin", dsql.generateAuthToken());
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE cdc_out (id int PRIMARY KEY, v text)");
                s.execute("INSERT INTO cdc_out VALUES (1, 'a'), (2, 'b')");
                s.execute("DELETE FROM cdc_out WHERE id = 2");
            }
            List<String> records = read(kinesis, "from-container");
            for (int i = 0; i < 300 && records.size() < 3; i++) {
                Thread.sleep(100);
                records = read(kinesis, "from-container");
            }
            assertThat(records).hasSize(3);
            assertThat(records).anySatisfy(r -> assertThat(r).contains("\"op\":\"d\"", "\"before\":{\"id\":2}"));
            assertThat(records)
                    .filteredOn(r -> r.contains("\"op\":\"c\""))
                    .hasSize(2)
                    .allSatisfy(r -> assertThat(r).contains("\"cluster\":\"" + dsql.getClusterIdentifier() + "\""));
        } finally {
            kinesalite.destroy();
            kinesalite.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static List<String> read(KinesisClient kinesis, String stream) {
        List<String> out = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String it = kinesis.getShardIterator(b -> b.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            for (Record r : kinesis.getRecords(b -> b.shardIterator(it)).records()) {
                out.add(r.data().asUtf8String());
            }
        }
        return out;
    }

    /** kinesalite (npm, installed into target/kinesalite when missing) on all interfaces, for the container. */
    private static Process startKinesalite(int port) throws Exception {
        // kinesalite's CBOR answers to GetRecords do not parse in SDK v2; its JSON ones do
        System.setProperty("aws.cborEnabled", "false");
        Path bin = KINESALITE.resolve("node_modules/.bin/kinesalite");
        if (!Files.isExecutable(bin)) {
            Files.createDirectories(KINESALITE);
            Process npm = new ProcessBuilder(
                            "npm",
                            "install",
                            "--no-audit",
                            "--no-fund",
                            "--prefix",
                            KINESALITE.toString(),
                            "kinesalite@3.3.3")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(npm.waitFor()).as(output).isZero();
        }
        Process p = new ProcessBuilder(bin.toString(), "--port", Integer.toString(port), "--createStreamMs", "10")
                .redirectErrorStream(true)
                .redirectOutput(KINESALITE.resolve("kinesalite.log").toFile())
                .start();
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("kinesalite did not start");
    }

    /** CreateStream (the SDK version here predates it) as a signed restJson1 call; returns the stream id. */
    static String createStream(DsqlContainer dsql, String kinesisArn) throws Exception {
        URI uri = dsql.getEndpoint().resolve("/stream/" + dsql.getClusterIdentifier());
        byte[] body = ("{\"targetDefinition\":{\"kinesis\":{\"streamArn\":\"" + kinesisArn
                        + "\",\"roleArn\":\"arn:aws:iam::000000000000:role/cdc\"}},"
                        + "\"ordering\":\"UNORDERED\",\"format\":\"JSON\"}")
                .getBytes(StandardCharsets.UTF_8);
        var signed = AwsV4HttpSigner.create()
                .sign(r -> r.request(SdkHttpRequest.builder()
                                .uri(uri)
                                .method(SdkHttpMethod.POST)
                                .putHeader("Content-Type", "application/json")
                                .build())
                        .payload(() -> new ByteArrayInputStream(body))
                        .identity(AwsCredentialsIdentity.create(dsql.getAccessKey(), dsql.getSecretKey()))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, dsql.getRegion())
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "dsql"))
                .request()
                .headers();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.forEach((name, values) -> {
            if (!List.of("host", "content-length", "connection").contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher m = STREAM_ID.matcher(response.body());
        assertThat(m.find()).isTrue();
        Thread.sleep(200); // CREATING → ACTIVE (no delay configured)
        return m.group(1);
    }
}
