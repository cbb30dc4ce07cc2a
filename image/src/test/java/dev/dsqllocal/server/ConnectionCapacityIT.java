package dev.dsqllocal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * The capacity the emulator promises is the capacity it has: a burst of connections up to --max-connections is
 * held (no PostgreSQL refusal, no "cluster is not available" from a full listen queue), the next one gets DSQL's
 * 53300 text, PostgreSQL's max_connections follows the option, and closing every session leaves no backend.
 */
class ConnectionCapacityIT {
    private static final int LIMIT = 250;
    private static DsqlLocalServer server;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        server = DsqlLocalServer.start(ServerConfig.of(Map.of(
                Option.API_PORT, "0",
                Option.SQL_PORT, "0",
                Option.BIND_ADDRESS, "127.0.0.1",
                Option.MAX_CONNECTIONS, Integer.toString(LIMIT))));
        token = DsqlUtilities.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + server.sqlPort() + "/postgres?sslmode=require&connectTimeout=30",
                "admin",
                token);
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    @Test
    void aBurstUpToTheLimitIsHeldTheNextGetsDsqlsTextAndNothingLeaks() throws Exception {
        List<Connection> held = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Connection>> opening = new ArrayList<>();
            for (int i = 0; i < LIMIT; i++) {
                opening.add(pool.submit(ConnectionCapacityIT::connect));
            }
            List<String> failures = new ArrayList<>();
            for (Future<Connection> f : opening) {
                try {
                    held.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause().getMessage());
                }
            }
            assertThat(failures).as("refusals below the limit").isEmpty();
            assertThat(held).hasSize(LIMIT);
            // Every held session is usable.
            for (Connection c : held) {
                assertThat(scalar(c, "SELECT 1")).isEqualTo(1);
            }
            assertThat(scalar(held.get(0), "SHOW max_connections")).isGreaterThanOrEqualTo(LIMIT + 3);

            PSQLException refused =
                    catchThrowableOfType(PSQLException.class, () -> connect().close());
            assertThat((Object) refused).isNotNull();
            assertThat(refused.getServerErrorMessage().getSQLState()).isEqualTo("53300");
            assertThat(refused.getServerErrorMessage().getMessage())
                    .isEqualTo("Unable to accept connection, too many open connections.");

            // A slot freed is a slot usable.
            held.remove(held.size() - 1).close();
            held.add(connect());
        } finally {
            pool.shutdownNow();
            for (Connection c : held) {
                c.close();
            }
        }
        try (Connection c = connect()) {
            long backends = -1;
            for (int i = 0; i < 100; i++) {
                backends = scalar(c, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'");
                if (backends == 1) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(backends).as("client backends left besides this one").isEqualTo(1);
        }
    }
}
