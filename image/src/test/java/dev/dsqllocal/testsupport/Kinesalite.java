package dev.dsqllocal.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A real Kinesis-compatible server for the tests: kinesalite (npm package {@code kinesalite@3.3.3}, installed with
 * npm into {@code target/kinesalite} the first time), run with Node.js on a loopback port. {@link #read} reads a
 * stream as a consumer would: every shard from TRIM_HORIZON with GetShardIterator and GetRecords.
 */
public final class Kinesalite implements AutoCloseable {
    public static final String VERSION = "3.3.3";
    private static final Path HOME = Path.of("target", "kinesalite").toAbsolutePath();

    static {
        // kinesalite's CBOR answers to GetRecords do not parse in SDK v2 (its JSON ones do); the property applies to
        // every Kinesis client of this JVM, the emulator's in-process delivery included
        System.setProperty("aws.cborEnabled", "false");
    }

    private final Process process;
    private final int port;
    private final KinesisClient client;

    private Kinesalite(Process process, int port) {
        this.process = process;
        this.port = port;
        this.client = KinesisClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Starts kinesalite on a free loopback port. */
    public static Kinesalite start() throws IOException, InterruptedException {
        return start(freePort());
    }

    /** Starts kinesalite on {@code port} and waits until it accepts connections. */
    public static Kinesalite start(int port) throws IOException, InterruptedException {
        Path bin = install();
        Path log = HOME.resolve("kinesalite-" + port + ".log");
        Process p = new ProcessBuilder(
                        bin.toString(),
                        "--port",
                        Integer.toString(port),
                        "--host",
                        "127.0.0.1",
                        "--createStreamMs",
                        "10",
                        "--deleteStreamMs",
                        "10")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new Kinesalite(p, port);
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("kinesalite did not start: " + Files.readString(log), e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** {@code target/kinesalite/node_modules/.bin/kinesalite}, installed with npm when missing. */
    static synchronized Path install() throws IOException, InterruptedException {
        Path bin = HOME.resolve("node_modules/.bin/kinesalite");
        if (Files.isExecutable(bin)) {
            return bin;
        }
        Files.createDirectories(HOME);
        Process npm = new ProcessBuilder(
                        "npm",
                        "install",
                        "--no-audit",
                        "--no-fund",
                        "--prefix",
                        HOME.toString(),
                        "kinesalite@" + VERSION)
                .redirectErrorStream(true)
                .start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.isExecutable(bin)) {
            throw new IOException("npm install kinesalite@" + VERSION + " failed:\n" + output);
        }
        return bin;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public KinesisClient client() {
        return client;
    }

    /** Creates a stream and waits until it is ACTIVE; returns its ARN. */
    public String createStream(String name, int shards) throws InterruptedException {
        client.createStream(b -> b.streamName(name).shardCount(shards));
        for (int i = 0; i < 200; i++) {
            // DescribeStream, not DescribeStreamSummary: kinesalite's answer to the latter does not parse
            var d = client.describeStream(b -> b.streamName(name)).streamDescription();
            if (d.streamStatus() == StreamStatus.ACTIVE) {
                return d.streamARN();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Kinesis stream " + name + " did not become ACTIVE");
    }

    /** Every record in the stream, over all shards, as UTF-8 text (one shard after the other). */
    public List<String> read(String stream) {
        List<String> out = new ArrayList<>();
        for (Shard shard : client.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = client.getShardIterator(b -> b.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (iterator != null) {
                String it = iterator;
                GetRecordsResponse page =
                        client.getRecords(b -> b.shardIterator(it).limit(10_000));
                for (Record r : page.records()) {
                    out.add(r.data().asUtf8String());
                }
                if (page.records().isEmpty()) {
                    break;
                }
                iterator = page.nextShardIterator();
            }
        }
        return out;
    }

    /** Reads until at least {@code count} records are there or {@code timeout} passes; returns what it read. */
    public List<String> awaitRecords(String stream, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> got = read(stream);
        while (got.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            got = read(stream);
        }
        return got;
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
