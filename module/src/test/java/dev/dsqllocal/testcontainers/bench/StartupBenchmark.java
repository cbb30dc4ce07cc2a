package dev.dsqllocal.testcontainers.bench;

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
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Time from {@code new DsqlContainer().start()} to the first authenticated query, beside a plain PostgreSQL 16
 * container made from the same base image and binaries (image/docker/plain-postgres). Not a test: run it with
 * {@code .ci/benchmark.sh [runs]}, which builds the plain image first. One untimed warm-up of each goes first, so
 * the numbers do not include loading Testcontainers and the JDBC driver into this JVM.
 */
public final class StartupBenchmark {
    static final String PLAIN_IMAGE = "dsql-local-plain-postgres:latest";

    private StartupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        dsqlLocal();
        plainPostgres();
        List<Long> dsql = new ArrayList<>();
        List<Long> plain = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            dsql.add(dsqlLocal());
            plain.add(plainPostgres());
            System.out.printf(
                    Locale.ROOT, "run %d: dsql-local %d ms, plain postgres %d ms%n", i + 1, dsql.get(i), plain.get(i));
        }
        System.out.println(summary("dsql-local     ", dsql));
        System.out.println(summary("plain postgres ", plain));
        System.out.printf(Locale.ROOT, "ratio of medians: %.2f%n", (double) median(dsql) / median(plain));
    }

    /** Start, then a query over TLS with an IAM auth token: what a user's first test statement costs. */
    private static long dsqlLocal() throws SQLException {
        long started = System.nanoTime();
        try (DsqlContainer dsql = new DsqlContainer()) {
            dsql.start();
            Properties props = new Properties();
            props.setProperty("user", "admin");
            props.setProperty("password", dsql.generateAuthToken());
            query(DriverManager.getConnection(dsql.getJdbcUrl(), props));
            return (System.nanoTime() - started) / 1_000_000;
        }
    }

    private static long plainPostgres() throws SQLException {
        long started = System.nanoTime();
        try (GenericContainer<?> postgres = new GenericContainer<>(DockerImageName.parse(PLAIN_IMAGE))
                .withExposedPorts(5432)
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 1))) {
            postgres.start();
            String url = "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432) + "/postgres";
            query(DriverManager.getConnection(url, "postgres", ""));
            return (System.nanoTime() - started) / 1_000_000;
        }
    }

    private static void query(Connection connection) throws SQLException {
        try (connection;
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT 1")) {
            if (!rs.next() || rs.getInt(1) != 1) {
                throw new IllegalStateException("SELECT 1 did not answer 1");
            }
        }
    }

    private static String summary(String name, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format(
                Locale.ROOT,
                "%s min %d ms, median %d ms, max %d ms (%d runs)",
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
