package dev.dsqllocal.bench;

import dev.dsqllocal.auth.AuthMode;
import dev.dsqllocal.auth.AuthToken;
import dev.dsqllocal.auth.AuthTokenVerifier;
import dev.dsqllocal.auth.CredentialStore;
import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.clusters.ClusterView;
import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.gateway.GatewaySettings;
import dev.dsqllocal.gateway.RoleMappings;
import dev.dsqllocal.gateway.SqlGateway;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.testsupport.TestClusters;
import dev.dsqllocal.testsupport.TestPostgres;
import dev.dsqllocal.tls.ServerTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * Gateway versus direct connections to the same PostgreSQL, in one run (not a test; run it by hand):
 * <ol>
 *   <li>select-only throughput: {@code pgbench -S} with 8 clients, direct (plaintext, trust) and through the
 *       gateway ({@code PGSSLMODE=require}, the token as {@code PGPASSWORD});</li>
 *   <li>latency of one simple query ({@code select 1}, simple protocol, one pgJDBC connection), p50 and p99;</li>
 *   <li>connection setup (pgJDBC {@code getConnection}: TCP, TLS, token check, backend startup), p50 and p99.</li>
 * </ol>
 * Usage: {@code image/bench/run-gateway-benchmark.sh [seconds per pgbench run] [dialect]} ({@code dialect}: with
 * the DSQL dialect and optimistic-concurrency interceptors the emulator runs, with the bare proxy measured beside
 * it in the same rounds; otherwise the bare proxy alone). Client, gateway and PostgreSQL
 * share the machine, so the gateway's CPU comes out of the same budget as the server's: read ratios, not
 * absolutes. Results of a run on the 2-core development VM are in {@code image/bench/README.md}.
 */
public final class GatewayBenchmark {
    private static final Principal CREDENTIALS =
            new Principal("test", "test", "000000000000", "arn:aws:iam::000000000000:root");

    private GatewayBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        // "dialect": the interceptors the emulator really runs (DSQL dialect + optimistic concurrency), as
        // SqlGatewayFactory wires them; otherwise the bare proxy.
        boolean dialect = args.length > 1 && args[1].equals("dialect");
        dev.dsqllocal.faults.FaultRegistry faults = new dev.dsqllocal.faults.FaultRegistry(Clock.systemUTC());
        SessionPolicy.Factory interceptors = dialect
                ? dev.dsqllocal.concurrency.ConcurrencyPolicy.factory(
                        dev.dsqllocal.dialect.DialectPolicy.factory(
                                dev.dsqllocal.dialect.DialectRules.forEpoch(
                                        dev.dsqllocal.dialect.DialectEpoch.parse("latest")),
                                Clock.systemUTC()),
                        (cluster, tables) -> faults.takeCommitConflict(cluster, tables)
                                .map(code -> dev.dsqllocal.concurrency.Conflict.valueOf(code.name())),
                        new dev.dsqllocal.concurrency.CatalogVersions())
                : SessionPolicy.Factory.NONE;
        System.out.println(
                "gateway interceptors: " + (dialect ? "DSQL dialect + optimistic concurrency" : "none (bare proxy)"));
        Path tlsDir = Files.createTempDirectory("bench-tls");
        ServerTls tls = ServerTls.load(tlsDir, Optional.empty(), Optional.empty(), "us-east-1", List.of());
        try (TestPostgres postgres =
                TestPostgres.start(tlsDir.resolve("server.pem"), tlsDir.resolve("server-key.pem"))) {
            DatabaseEndpoint backend = postgres.endpoint();
            String id = "benchbenchbenchbenchbench1";
            TestClusters clusters = new TestClusters()
                    .put(new ClusterView(id, "000000000000", "us-east-1", ClusterStatus.ACTIVE, Optional.of(backend)))
                    .defaultCluster(id);
            GatewaySettings settings = new GatewaySettings(
                    0, 0, 0, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(60));
            if (VARIANT != null) {
                System.setProperty(VARIANT, "true"); // the variant gateway is started (and later run) with it
            }
            SqlGateway variantGateway = VARIANT == null
                    ? null
                    : new SqlGateway(
                                    settings,
                                    tls,
                                    clusters,
                                    new CredentialStore(List.of(CREDENTIALS), AuthMode.STRICT),
                                    RoleMappings.NONE,
                                    interceptors,
                                    Clock.systemUTC())
                            .start("127.0.0.1", 0);
            System.clearProperty(VARIANT == null ? "bench.none" : VARIANT);
            try (SqlGateway gateway = new SqlGateway(
                                    settings,
                                    tls,
                                    clusters,
                                    new CredentialStore(List.of(CREDENTIALS), AuthMode.STRICT),
                                    RoleMappings.NONE,
                                    interceptors,
                                    Clock.systemUTC())
                            .start("127.0.0.1", 0);
                    AutoCloseable closeVariant = variantGateway == null ? () -> {} : variantGateway;
                    // with "dialect", the bare proxy is measured beside it in the same rounds
                    SqlGateway bare = !dialect
                            ? null
                            : new SqlGateway(
                                            settings,
                                            tls,
                                            clusters,
                                            new CredentialStore(List.of(CREDENTIALS), AuthMode.STRICT),
                                            RoleMappings.NONE,
                                            SessionPolicy.Factory.NONE,
                                            Clock.systemUTC())
                                    .start("127.0.0.1", 0)) {
                String token = DsqlUtilities.builder()
                        .region(Region.US_EAST_1)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .build()
                        .generateDbConnectAdminAuthToken(
                                b -> b.hostname("localhost").expiresIn(Duration.ofHours(1)));
                run(
                        List.of(
                                "pgbench",
                                "-i",
                                "-q",
                                "-s",
                                "10",
                                "-h",
                                "127.0.0.1",
                                "-p",
                                "" + backend.port(),
                                "-U",
                                "admin",
                                "postgres"),
                        Map.of());
                String directUrl = "jdbc:postgresql://127.0.0.1:" + backend.port() + "/postgres?user=admin";
                String gatewayUrl = "jdbc:postgresql://localhost:" + gateway.port()
                        + "/postgres?user=admin&sslmode=require&password="
                        + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8);

                // Warm up both paths (JIT, PostgreSQL caches).
                pgbench(backend.port(), "127.0.0.1", Map.of("PGSSLMODE", "disable"), 3);
                pgbench(gateway.port(), "localhost", Map.of("PGSSLMODE", "require", "PGPASSWORD", token), 3);
                if (bare != null) {
                    pgbench(bare.port(), "localhost", Map.of("PGSSLMODE", "require", "PGPASSWORD", token), 3);
                }
                if (VARIANT != null) {
                    pgbenchWithVariant(variantGateway.port(), Map.of("PGSSLMODE", "require", "PGPASSWORD", token), 3);
                }
                queryLatency(directUrl, 5000);
                queryLatency(gatewayUrl, 5000);

                Map<String, String> plain = Map.of("PGSSLMODE", "disable");
                Map<String, String> directTls = Map.of("PGSSLMODE", "require");
                Map<String, String> gatewayEnv = Map.of("PGSSLMODE", "require", "PGPASSWORD", token);
                double direct = pgbench(backend.port(), "127.0.0.1", plain, seconds);
                double directWithTls = pgbench(backend.port(), "127.0.0.1", directTls, seconds);
                double viaGateway = pgbench(gateway.port(), "localhost", gatewayEnv, seconds);
                double viaBare = bare == null ? 0 : pgbench(bare.port(), "localhost", gatewayEnv, seconds);
                double variant = VARIANT == null ? 0 : pgbenchWithVariant(variantGateway.port(), gatewayEnv, seconds);
                double directAgain = pgbench(backend.port(), "127.0.0.1", plain, seconds);
                double directWithTlsAgain = pgbench(backend.port(), "127.0.0.1", directTls, seconds);
                double viaGatewayAgain = pgbench(gateway.port(), "localhost", gatewayEnv, seconds);
                double viaBareAgain = bare == null ? 0 : pgbench(bare.port(), "localhost", gatewayEnv, seconds);
                double variantAgain =
                        VARIANT == null ? 0 : pgbenchWithVariant(variantGateway.port(), gatewayEnv, seconds);
                long[] directLatency = queryLatency(directUrl, 20_000);
                long[] directTlsLatency = queryLatency(directUrl + "&sslmode=require", 20_000);
                long[] gatewayLatency = queryLatency(gatewayUrl, 20_000);
                long[] directConnect = connectLatency(directUrl, 300);
                long[] directTlsConnect = connectLatency(directUrl + "&sslmode=require", 300);
                gateway.setupTimings().reset();
                long[] gatewayConnect = connectLatency(gatewayUrl, 300);
                long[] verify = verifyLatency(token, 20_000);

                System.out.println();
                System.out.printf(
                        Locale.ROOT, "pgbench -S, 8 clients, %d s per run (two runs each, alternating)%n", seconds);
                System.out.printf(Locale.ROOT, "  direct, plaintext:  %.0f / %.0f tps%n", direct, directAgain);
                System.out.printf(
                        Locale.ROOT, "  direct, TLS:        %.0f / %.0f tps%n", directWithTls, directWithTlsAgain);
                System.out.printf(Locale.ROOT, "  gateway (TLS):      %.0f / %.0f tps%n", viaGateway, viaGatewayAgain);
                System.out.printf(
                        Locale.ROOT,
                        "  ratio gateway / direct plaintext: %.1f %%; gateway / direct TLS: %.1f %%%n",
                        100 * (viaGateway + viaGatewayAgain) / (direct + directAgain),
                        100 * (viaGateway + viaGatewayAgain) / (directWithTls + directWithTlsAgain));
                if (bare != null) {
                    System.out.printf(
                            Locale.ROOT,
                            "  gateway, bare proxy (TLS), same rounds: %.0f / %.0f tps: %.1f %% of direct"
                                    + " plaintext, %.1f %% of direct TLS%n",
                            viaBare,
                            viaBareAgain,
                            100 * (viaBare + viaBareAgain) / (direct + directAgain),
                            100 * (viaBare + viaBareAgain) / (directWithTls + directWithTlsAgain));
                }
                if (VARIANT != null) {
                    System.out.printf(
                            Locale.ROOT,
                            "  gateway, -D%s=true: %.0f / %.0f tps (%.1f %% of direct TLS)%n",
                            VARIANT,
                            variant,
                            variantAgain,
                            100 * (variant + variantAgain) / (directWithTls + directWithTlsAgain));
                }
                System.out.printf(
                        Locale.ROOT,
                        "select 1 round trip, one connection, simple protocol (µs): "
                                + "direct plaintext p50 %.1f p99 %.1f; direct TLS p50 %.1f p99 %.1f; gateway p50 %.1f p99 %.1f%n"
                                + "  extra at p50: %.1f vs direct plaintext, %.1f vs direct TLS (the gateway hop alone)%n",
                        directLatency[0] / 1e3,
                        directLatency[1] / 1e3,
                        directTlsLatency[0] / 1e3,
                        directTlsLatency[1] / 1e3,
                        gatewayLatency[0] / 1e3,
                        gatewayLatency[1] / 1e3,
                        (gatewayLatency[0] - directLatency[0]) / 1e3,
                        (gatewayLatency[0] - directTlsLatency[0]) / 1e3);
                System.out.printf(
                        Locale.ROOT,
                        "connection setup (ms): direct (plaintext, trust) p50 %.2f p99 %.2f; "
                                + "direct (TLS, trust) p50 %.2f p99 %.2f; gateway (TLS + token + backend) p50 %.2f p99 %.2f%n",
                        directConnect[0] / 1e6,
                        directConnect[1] / 1e6,
                        directTlsConnect[0] / 1e6,
                        directTlsConnect[1] / 1e6,
                        gatewayConnect[0] / 1e6,
                        gatewayConnect[1] / 1e6);
                System.out.printf(
                        Locale.ROOT,
                        "  inside the gateway, medians (ms): accept -> token verified (TLS handshake,"
                                + " startup, token check, client turn-arounds) %.2f; backend session start %.2f%n",
                        gateway.setupTimings().medianLoginNanos() / 1e6,
                        gateway.setupTimings().medianBackendNanos() / 1e6);
                tlsDir.toFile().deleteOnExit();
                for (java.io.File f : tlsDir.toFile().listFiles()) {
                    f.deleteOnExit();
                }
                System.out.printf(
                        Locale.ROOT,
                        "token parse + SigV4 verification alone (µs): p50 %.1f p99 %.1f%n",
                        verify[0] / 1e3,
                        verify[1] / 1e3);
            }
        }
    }

    /**
     * {@code -Dbench.variant=NAME}: a second gateway, started and run with the boolean system property NAME set to
     * true (e.g. {@code dsqllocal.gateway.backendTcp}), measured in each round beside the first, to compare a
     * gateway setting side by side.
     */
    private static final String VARIANT = System.getProperty("bench.variant");

    private static double pgbenchWithVariant(int port, Map<String, String> env, int seconds) throws Exception {
        System.setProperty(VARIANT, "true");
        try {
            return pgbench(port, "localhost", env, seconds);
        } finally {
            System.clearProperty(VARIANT);
        }
    }

    private static double pgbench(int port, String host, Map<String, String> env, int seconds) throws Exception {
        String out = run(
                List.of(
                        "pgbench",
                        "-S",
                        "-n",
                        "-c",
                        "8",
                        "-j",
                        "2",
                        "-T",
                        String.valueOf(seconds),
                        "-h",
                        host,
                        "-p",
                        String.valueOf(port),
                        "-U",
                        "admin",
                        "postgres"),
                env);
        Matcher m = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no tps in pgbench output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** p50 and p99 in nanoseconds of {@code select 1} round trips on one connection. */
    private static long[] queryLatency(String url, int count) throws Exception {
        Properties props = new Properties();
        props.setProperty("preferQueryMode", "simple");
        long[] samples = new long[count];
        try (Connection c = DriverManager.getConnection(url, props);
                Statement st = c.createStatement()) {
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                try (ResultSet rs = st.executeQuery("select 1")) {
                    rs.next();
                }
                samples[i] = System.nanoTime() - start;
            }
        }
        return percentiles(samples);
    }

    private static long[] verifyLatency(String token, int count) throws Exception {
        AuthTokenVerifier verifier = new AuthTokenVerifier(
                new CredentialStore(List.of(CREDENTIALS), AuthMode.STRICT), Clock.systemUTC(), Duration.ofMinutes(5));
        long[] samples = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            verifier.verify(AuthToken.parse(token));
            samples[i] = System.nanoTime() - start;
        }
        return percentiles(samples);
    }

    private static long[] connectLatency(String url, int count) throws Exception {
        long[] samples = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Connection c = DriverManager.getConnection(url);
            samples[i] = System.nanoTime() - start;
            c.close();
        }
        return percentiles(samples);
    }

    private static long[] percentiles(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new long[] {sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)]};
    }

    private static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(command + " failed:\n" + out);
        }
        return out;
    }
}
