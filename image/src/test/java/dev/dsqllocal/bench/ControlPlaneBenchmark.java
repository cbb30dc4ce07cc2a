package dev.dsqllocal.bench;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;

/**
 * Control-plane timings with the real PostgreSQL fleet: start to ready (first PostgreSQL included; run twice so the
 * template cache is warm), CreateCluster to ACTIVE with zero delay, and GetCluster latency through the real SDK.
 *
 * <p>Run: {@code mvn -o -q -pl image test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.dsqllocal.bench.ControlPlaneBenchmark}
 */
public final class ControlPlaneBenchmark {
    private ControlPlaneBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long firstStart = startStop(null);
        long ephemeralStart = startStop(null);
        long durableStart = startStop(dataDir());
        System.out.println();
        System.out.println("| measurement                                          | value      | target   |");
        System.out.println("|------------------------------------------------------|------------|----------|");
        row("start to ready, first run in this JVM", firstStart, "");
        row("start to ready, ephemeral, warm cache", ephemeralStart, "< 1.5 s");
        row("start to ready, --data-dir, warm cache", durableStart, "< 1.5 s");
        measure("ephemeral", null, calls);
        Path data = dataDir();
        try {
            measure("--data-dir", data, calls);
        } finally {
            try (var s = Files.walk(data)) {
                s.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void measure(String mode, Path data, int calls) throws Exception {
        try (DsqlLocalServer server = DsqlLocalServer.start(config(data));
                DsqlClient dsql = DsqlClient.builder()
                        .region(Region.US_EAST_1)
                        .endpointOverride(URI.create("http://127.0.0.1:" + server.apiPort()))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
            long[] createToActive = new long[5];
            for (int i = 0; i < createToActive.length; i++) {
                // One create at a time, 1 s apart: the latency of a single CreateCluster, not of a burst.
                Thread.sleep(1000);
                long t0 = System.nanoTime();
                String id = dsql.createCluster(r -> r.deletionProtectionEnabled(false))
                        .identifier();
                while (dsql.getCluster(r -> r.identifier(id)).status() != ClusterStatus.ACTIVE) {
                    Thread.onSpinWait();
                }
                createToActive[i] = System.nanoTime() - t0;
            }
            String id = server.defaultClusterId().orElseThrow();
            for (int i = 0; i < 500; i++) {
                dsql.getCluster(r -> r.identifier(id));
            }
            long[] get = new long[calls];
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                dsql.getCluster(r -> r.identifier(id));
                get[i] = System.nanoTime() - t0;
            }
            Arrays.sort(createToActive);
            Arrays.sort(get);
            row("CreateCluster -> ACTIVE median, " + mode, createToActive[2], "< 0.5 s");
            row("CreateCluster -> ACTIVE worst of 5, " + mode, createToActive[4], "< 0.5 s");
            row("GetCluster p50, " + mode + " (" + calls + " SDK calls)", get[calls / 2], "");
            row("GetCluster p99, " + mode, get[(int) (calls * 0.99)], "< 5 ms");
        }
    }

    private static Path dataDir() throws java.io.IOException {
        // Searchable by others: as root, PostgreSQL runs as an unprivileged user below this directory.
        return Files.createTempDirectory(
                "dsql-bench-",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x")));
    }

    private static ServerConfig config(Path data) {
        return ServerConfig.of(Map.of(
                Option.API_PORT,
                "0",
                Option.SQL_PORT,
                "0",
                Option.BIND_ADDRESS,
                "127.0.0.1",
                Option.DATA_DIR,
                data == null ? "" : data.toString()));
    }

    private static long startStop(Path data) throws Exception {
        long t0 = System.nanoTime();
        try (DsqlLocalServer server = DsqlLocalServer.start(config(data))) {
            return System.nanoTime() - t0;
        } finally {
            if (data != null) {
                try (var s = Files.walk(data)) {
                    s.sorted(java.util.Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void row(String name, long nanos, String target) {
        System.out.printf(Locale.ROOT, "| %-52s | %7.2f ms | %-8s |%n", name, nanos / 1e6, target);
    }
}
