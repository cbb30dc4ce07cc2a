package dev.dsqllocal.testcontainers.bench;

import dev.dsqllocal.testcontainers.DsqlCluster;
import dev.dsqllocal.testcontainers.DsqlContainer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What it costs to give a test an empty database: a cluster of its own ({@link DsqlContainer#createCluster()}, then
 * the schema and a first query) against dropping and recreating the same tables on one cluster (then the same first
 * query). Each round opens a new connection, as a new test would, and leaves {@value #ROWS} rows in every table, so
 * the DROP has data to remove. Deleting a test's cluster afterwards is timed apart (a test does not wait for it
 * when the extension deletes it, but the suite does). Not a test; run it with
 * {@code mvn -o -q -pl module test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.dsqllocal.testcontainers.bench.ClusterPerTestBenchmark [-Dexec.args=rounds]}.
 */
public final class ClusterPerTestBenchmark {
    private static final String[] TABLES = {"customers", "orders", "order_lines"};

    private static final int ROWS = 200;

    private ClusterPerTestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        try (DsqlContainer dsql = new DsqlContainer()) {
            dsql.start();
            // Untimed warm-up of both paths: class loading, the SDK client, pgJDBC.
            freshCluster(dsql, new ArrayList<>());
            dropAndCreate(dsql);
            List<Long> fresh = new ArrayList<>();
            List<Long> deletes = new ArrayList<>();
            List<Long> dropCreate = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                fresh.add(freshCluster(dsql, deletes));
                dropCreate.add(dropAndCreate(dsql));
                System.out.printf(
                        Locale.ROOT,
                        "round %d: new cluster %d ms (delete %d ms), drop/create %d ms%n",
                        i + 1,
                        fresh.get(i),
                        deletes.get(i),
                        dropCreate.get(i));
            }
            System.out.println(summary("new cluster + schema + first query ", fresh));
            System.out.println(summary("drop/create + schema + first query ", dropCreate));
            System.out.println(summary("delete the cluster afterwards      ", deletes));
            System.out.printf(
                    Locale.ROOT,
                    "ratio of medians (new cluster / drop-create): %.2f%n",
                    (double) median(fresh) / median(dropCreate));
        }
    }

    private static long freshCluster(DsqlContainer dsql, List<Long> deletes) throws SQLException {
        long started = System.nanoTime();
        DsqlCluster cluster = dsql.createCluster();
        long active = System.nanoTime();
        long elapsed;
        try (Connection c = cluster.createConnection();
                Statement s = c.createStatement()) {
            long connected = System.nanoTime();
            createSchemaAndQuery(s);
            elapsed = (System.nanoTime() - started) / 1_000_000;
            System.out.printf(
                    Locale.ROOT,
                    "  new cluster: ACTIVE after %d ms, connected %d ms later, schema + query %d ms%n",
                    (active - started) / 1_000_000,
                    (connected - active) / 1_000_000,
                    (System.nanoTime() - connected) / 1_000_000);
            fill(s);
        }
        long deleting = System.nanoTime();
        cluster.close();
        deletes.add((System.nanoTime() - deleting) / 1_000_000);
        return elapsed;
    }

    private static long dropAndCreate(DsqlContainer dsql) throws SQLException {
        long started = System.nanoTime();
        Properties props = new Properties();
        props.setProperty("user", "admin");
        props.setProperty("password", dsql.generateAuthToken());
        try (Connection c = DriverManager.getConnection(dsql.getJdbcUrl(), props);
                Statement s = c.createStatement()) {
            for (String table : TABLES) {
                s.execute("DROP TABLE IF EXISTS " + table); // one DDL per transaction, as DSQL requires
            }
            createSchemaAndQuery(s);
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            fill(s);
            return elapsed;
        }
    }

    private static void createSchemaAndQuery(Statement s) throws SQLException {
        for (String table : TABLES) {
            s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, note text NOT NULL)");
        }
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + TABLES[0])) {
            if (!rs.next() || rs.getInt(1) != 0) {
                throw new IllegalStateException("the table is not empty");
            }
        }
    }

    private static void fill(Statement s) throws SQLException {
        for (String table : TABLES) {
            s.executeUpdate("INSERT INTO " + table + " SELECT g, 'row ' || g FROM generate_series(1, " + ROWS + ") g");
        }
    }

    private static String summary(String name, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format(
                Locale.ROOT,
                "%s min %d ms, median %d ms, max %d ms (%d rounds)",
                name,
                sorted.get(0),
                median(millis),
                sorted.get(sorted.size() - 1),
                sorted.size());
    }

    private static long median(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
