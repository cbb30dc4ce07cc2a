package dev.dsqllocal.bench;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * Two write workloads through the gateway of an emulator started in this JVM (run with {@code [seconds]}):
 * one session committing single-row UPDATE transactions back to back (the cost optimistic concurrency adds to a
 * session alone on its cluster), and 8 writers moving money between 100 accounts in transactions retried on
 * SQLSTATE 40001 (throughput, retry rate, and the invariant that the total never changes); then how long
 * statements of several shapes wait on another open transaction's row lock, and how they end.
 */
public final class OccWorkloadBenchmark {
    private static final int ACCOUNTS = 100;
    private static final int WRITERS = 8;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (DsqlLocalServer server = DsqlLocalServer.start(ServerConfig.of(
                Map.of(Option.API_PORT, "0", Option.SQL_PORT, "0", Option.BIND_ADDRESS, "127.0.0.1")))) {
            try (Connection c = connect(server);
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE bench_single (id int PRIMARY KEY, v int)");
                st.execute("INSERT INTO bench_single VALUES (1, 0)");
                st.execute("CREATE TABLE bench_accounts (id int PRIMARY KEY, balance bigint)");
                st.execute("INSERT INTO bench_accounts SELECT g, 1000 FROM generate_series(1, " + ACCOUNTS + ") g");
            }
            singleSession(server, 2); // warm-up
            System.out.printf("single-session UPDATE transactions: %.0f tx/s%n", singleSession(server, seconds));
            bank(server, seconds);
            blockedWrites(server);
        }
    }

    private static double singleSession(DsqlLocalServer server, int seconds) throws SQLException {
        try (Connection c = connect(server);
                PreparedStatement up = c.prepareStatement("UPDATE bench_single SET v = v + 1 WHERE id = 1")) {
            c.setAutoCommit(false);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long done = 0;
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                up.executeUpdate();
                c.commit();
                done++;
            }
            return done / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void bank(DsqlLocalServer server, int seconds) throws Exception {
        AtomicLong commits = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Thread t = new Thread(() -> {
                try (Connection c = connect(server);
                        PreparedStatement debit =
                                c.prepareStatement("UPDATE bench_accounts SET balance = balance - ? WHERE id = ?");
                        PreparedStatement credit =
                                c.prepareStatement("UPDATE bench_accounts SET balance = balance + ? WHERE id = ?")) {
                    c.setAutoCommit(false);
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        int from = 1 + random.nextInt(ACCOUNTS);
                        int to = 1 + (from + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        int amount = 1 + random.nextInt(10);
                        while (true) {
                            try {
                                debit.setInt(1, amount);
                                debit.setInt(2, from);
                                debit.executeUpdate();
                                credit.setInt(1, amount);
                                credit.setInt(2, to);
                                credit.executeUpdate();
                                c.commit();
                                commits.incrementAndGet();
                                break;
                            } catch (SQLException e) {
                                c.rollback();
                                if (!"40001".equals(e.getSQLState())) {
                                    throw e;
                                }
                                retries.incrementAndGet();
                            }
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long total;
        try (Connection c = connect(server);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT sum(balance) FROM bench_accounts")) {
            rs.next();
            total = rs.getLong(1);
        }
        System.out.printf(
                "bank, %d writers, %d accounts: %.0f commits/s, %.1f%% retried (%d retries / %d commits), total %d"
                        + " (expected %d), failures %s%n",
                WRITERS,
                ACCOUNTS,
                commits.get() / (double) seconds,
                100.0 * retries.get() / Math.max(1, commits.get() + retries.get()),
                retries.get(),
                commits.get(),
                total,
                ACCOUNTS * 1000L,
                failures);
    }

    /** A statement of session b, timed while session a's open, idle transaction holds row 1. */
    @FunctionalInterface
    private interface BlockedWrite {
        void run(Connection b) throws SQLException;
    }

    private static final int BLOCKED_ROUNDS = 40;

    /**
     * How long a statement waits on another transaction's row lock, shape by shape: each round, a updates row 1 and
     * stays idle in its transaction, b runs the shape (timed), then both roll back. Prints the median and the largest
     * wait and how the rounds ended (ok, 40001, other SQLSTATE).
     */
    private static void blockedWrites(DsqlLocalServer server) throws SQLException {
        try (Connection c = connect(server);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE bench_blocked (id int PRIMARY KEY, v int)");
            st.execute("INSERT INTO bench_blocked VALUES (1, 0), (2, 0), (3, 0)");
        }
        String update = "UPDATE bench_blocked SET v = v + 1 WHERE id = ?";
        blocked(server, "autocommit UPDATE", true, b -> {
            try (PreparedStatement up = b.prepareStatement(update)) {
                up.setInt(1, 1);
                up.executeUpdate();
            }
        });
        blocked(server, "UPDATE in a transaction", false, b -> {
            try (PreparedStatement up = b.prepareStatement(update)) {
                up.setInt(1, 1);
                up.executeUpdate();
            }
        });
        blocked(server, "batch of 3 UPDATEs in a transaction", false, b -> batchOfThree(b, update));
        blocked(server, "autocommit batch of 3 UPDATEs", true, b -> batchOfThree(b, update));
        blocked(server, "UPDATE ... RETURNING in a transaction", false, b -> {
            try (Statement st = b.createStatement()) {
                st.executeQuery("UPDATE bench_blocked SET v = v + 1 WHERE id = 1 RETURNING v")
                        .close();
            }
        });
    }

    private static void batchOfThree(Connection b, String update) throws SQLException {
        try (PreparedStatement up = b.prepareStatement(update)) {
            for (int id : new int[] {2, 1, 3}) {
                up.setInt(1, id);
                up.addBatch();
            }
            up.executeBatch();
        }
    }

    private static void blocked(DsqlLocalServer server, String shape, boolean autocommit, BlockedWrite write)
            throws SQLException {
        long[] waits = new long[BLOCKED_ROUNDS];
        int ok = 0;
        int conflicts = 0;
        List<String> others = new ArrayList<>();
        try (Connection a = connect(server);
                Connection b = connect(server);
                PreparedStatement hold = a.prepareStatement("UPDATE bench_blocked SET v = v + 1 WHERE id = 1")) {
            a.setAutoCommit(false);
            b.setAutoCommit(autocommit);
            for (int round = 0; round < BLOCKED_ROUNDS; round++) {
                hold.executeUpdate();
                long start = System.nanoTime();
                try {
                    write.run(b);
                    ok++;
                } catch (SQLException e) {
                    SQLException cause = e.getNextException() != null ? e.getNextException() : e;
                    if ("40001".equals(cause.getSQLState())) {
                        conflicts++;
                    } else {
                        others.add(cause.getSQLState());
                    }
                }
                waits[round] = System.nanoTime() - start;
                if (!autocommit) {
                    b.rollback();
                }
                a.rollback();
            }
        }
        Arrays.sort(waits);
        System.out.printf(
                "blocked %s: median %.1f ms, max %.1f ms; %d ok, %d 40001, other %s%n",
                shape, waits[BLOCKED_ROUNDS / 2] / 1e6, waits[BLOCKED_ROUNDS - 1] / 1e6, ok, conflicts, others);
    }

    private static Connection connect(DsqlLocalServer server) throws SQLException {
        String token = DsqlUtilities.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + server.sqlPort() + "/postgres?sslmode=verify-full&sslrootcert="
                        + server.dataDir().resolve("tls/ca.pem"),
                "admin",
                token);
    }
}
