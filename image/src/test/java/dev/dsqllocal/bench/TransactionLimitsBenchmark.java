package dev.dsqllocal.bench;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * What the transaction-limit triggers cost an autocommit single-row INSERT over the gateway (not a test; run it
 * by hand with {@code java -cp <test classpath> dev.dsqllocal.bench.TransactionLimitsBenchmark [statements]
 * [rounds]}): the emulator as shipped, one pgJDBC connection (extended protocol), INSERTs alternating by round
 * between a table with the limit triggers and one whose triggers were dropped by the internal superuser. Prints
 * the median and the best time per statement of each (read the best on a busy machine).
 */
public final class TransactionLimitsBenchmark {

    private TransactionLimitsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int statements = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        try (DsqlLocalServer server = DsqlLocalServer.start(ServerConfig.of(
                Map.of(Option.API_PORT, "0", Option.SQL_PORT, "0", Option.BIND_ADDRESS, "127.0.0.1")))) {
            String token = DsqlUtilities.builder()
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .build()
                    .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
            try (Connection c = DriverManager.getConnection(
                            "jdbc:postgresql://localhost:" + server.sqlPort()
                                    + "/postgres?sslmode=verify-full&sslrootcert="
                                    + server.dataDir().resolve("tls/ca.pem"),
                            "admin",
                            token);
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE bench_limited (id int PRIMARY KEY, v text)");
                st.execute("CREATE TABLE bench_plain (id int PRIMARY KEY, v text)");
                DatabaseEndpoint db = server.clusterDirectory()
                        .defaultCluster()
                        .orElseThrow()
                        .database()
                        .orElseThrow();
                try (Connection su = DriverManager.getConnection(
                                "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres", "postgres", "");
                        Statement s = su.createStatement()) {
                    for (String trigger : List.of("inserts", "updates", "deletes")) {
                        s.execute("DROP TRIGGER dsql_local_count_" + trigger + " ON public.bench_plain");
                    }
                }
                List<Double> limited = new ArrayList<>();
                List<Double> plain = new ArrayList<>();
                int next = 0;
                for (int round = -1; round < rounds; round++) {
                    double a = run(c, "bench_limited", next, statements);
                    double b = run(c, "bench_plain", next, statements);
                    next += statements;
                    if (round >= 0) { // round -1 warms up
                        limited.add(a);
                        plain.add(b);
                    }
                }
                System.out.printf(
                        "autocommit single-row INSERT over the gateway, %d statements x %d rounds:%n",
                        statements, rounds);
                System.out.printf(
                        "  with limit triggers:    median %.1f, min %.1f us/statement %s%n",
                        median(limited), Collections.min(limited), limited);
                System.out.printf(
                        "  without limit triggers: median %.1f, min %.1f us/statement %s%n",
                        median(plain), Collections.min(plain), plain);
            }
        }
    }

    private static double run(Connection c, String table, int first, int statements) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, 'x')")) {
            long started = System.nanoTime();
            for (int i = 0; i < statements; i++) {
                insert.setInt(1, first + i);
                insert.executeUpdate();
            }
            return Math.round((System.nanoTime() - started) / 1_000.0 / statements * 10) / 10.0;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
