package dev.dsqllocal.bench;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * Connection soak (not a test; run by hand, Linux only): starts the emulator in this JVM with
 * {@code --max-connections N}, opens {@code N + extra} authenticated TLS connections to one cluster from 64
 * threads at once, runs {@code SELECT 1} on each held one, holds them, closes them all, and reports held, refused
 * (by SQLSTATE and message), this JVM's RSS and open file descriptors, and the PostgreSQL processes' count and
 * summed PSS, before, while held and after.
 *
 * <p>Usage: {@code image/bench/run-connection-soak.sh [N] [extra]} (defaults 1000 and 20). Results of a run on the
 * 2-core development VM are in {@code image/bench/README.md}.
 */
public final class ConnectionSoak {
    private ConnectionSoak() {}

    public static void main(String[] args) throws Exception {
        int limit = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int extra = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (DsqlLocalServer server = DsqlLocalServer.start(ServerConfig.of(Map.of(
                Option.API_PORT, "0",
                Option.SQL_PORT, "0",
                Option.BIND_ADDRESS, "127.0.0.1",
                Option.MAX_CONNECTIONS, Integer.toString(limit),
                Option.CONNECTION_BURST, Integer.toString(limit + extra))))) {
            String token = DsqlUtilities.builder()
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .build()
                    .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
            String url = "jdbc:postgresql://localhost:" + server.sqlPort()
                    + "/postgres?sslmode=require&connectTimeout=60&socketTimeout=120";
            report("before", -1, -1, Map.of(), server.dataDir());

            ConcurrentLinkedQueue<Connection> held = new ConcurrentLinkedQueue<>();
            Map<String, Integer> refused = new TreeMap<>();
            AtomicInteger unusable = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(64);
            long started = System.nanoTime();
            for (int i = 0; i < limit + extra; i++) {
                pool.execute(() -> {
                    try {
                        Connection c = DriverManager.getConnection(url, "admin", token);
                        held.add(c);
                        try (Statement s = c.createStatement();
                                ResultSet rs = s.executeQuery("SELECT 1")) {
                            rs.next();
                        } catch (SQLException e) {
                            unusable.incrementAndGet();
                        }
                    } catch (SQLException e) {
                        synchronized (refused) {
                            refused.merge(e.getSQLState() + " " + e.getMessage(), 1, Integer::sum);
                        }
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.MINUTES);
            long openMs = (System.nanoTime() - started) / 1_000_000;
            System.out.printf(
                    "opened %d of %d in %d ms; unusable after open: %d%n",
                    held.size(), limit + extra, openMs, unusable.get());
            report(
                    "held",
                    held.size(),
                    refused.values().stream().mapToInt(Integer::intValue).sum(),
                    refused,
                    server.dataDir());

            for (Connection c : held) {
                c.close();
            }
            Thread.sleep(2000);
            report("after", 0, 0, Map.of(), server.dataDir());
        }
    }

    private static void report(String phase, int held, int refused, Map<String, Integer> reasons, Path dataDir)
            throws IOException {
        long[] pg = postgresProcesses(dataDir.toRealPath());
        System.out.printf(
                "%-6s held=%d refused=%d jvmRss=%d MiB jvmFds=%d postgresProcesses=%d postgresPss=%d MiB%n",
                phase, held, refused, kiB(Path.of("/proc/self/status"), "VmRSS:") / 1024, fds(), pg[0], pg[1] / 1024);
        reasons.forEach((reason, n) -> System.out.printf("       %5d x %s%n", n, reason));
    }

    private static long fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static long kiB(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended meanwhile
        }
        return 0;
    }

    /**
     * Count and summed PSS (KiB) of this emulator's PostgreSQL processes (those working in its data directory):
     * PSS divides each shared page among the processes that map it, so the sum is the memory they really use.
     */
    private static long[] postgresProcesses(Path dataDir) throws IOException {
        long count = 0;
        long rss = 0;
        List<Path> procs = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(procs::add);
        }
        for (Path p : procs) {
            try {
                if (Files.readString(p.resolve("comm")).trim().equals("postgres")
                        && Files.readSymbolicLink(p.resolve("cwd")).startsWith(dataDir)) {
                    count++;
                    rss += kiB(p.resolve("smaps_rollup"), "Pss:");
                }
            } catch (IOException e) {
                // gone
            }
        }
        return new long[] {count, rss};
    }
}
