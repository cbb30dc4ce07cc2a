package dev.dsqllocal.gateway;

import static dev.dsqllocal.gateway.GatewayFixture.adminToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.clusters.ClusterView;
import dev.dsqllocal.clusters.DatabaseEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;

/** Ordinary client traffic through the gateway looks like PostgreSQL's own. */
class GatewayProxyIT {
    static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = GatewayFixture.get();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(
                fx.jdbcUrl(fx.gateway.port(), "sslmode=require&prepareThreshold=1"), "admin", adminToken("localhost"));
    }

    @Test
    void extendedProtocolWithPreparedStatementsAndBatches() throws Exception {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute("create table if not exists proxy_items (id int primary key, name text)");
            st.execute("truncate proxy_items");
            try (PreparedStatement insert = c.prepareStatement("insert into proxy_items values (?, ?)")) {
                for (int i = 0; i < 50; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "item " + i);
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).hasSize(50);
            }
            try (PreparedStatement select = c.prepareStatement("select name from proxy_items where id = ?")) {
                for (int i = 0; i < 5; i++) { // past prepareThreshold: server-side named statements
                    select.setInt(1, 7);
                    try (ResultSet rs = select.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("item 7");
                    }
                }
            }
            SQLException syntax = catchThrowableOfType(SQLException.class, () -> st.execute("selec 1"));
            assertThat(syntax.getSQLState()).isEqualTo("42601");
            // The session is still usable after an error.
            try (ResultSet rs = st.executeQuery("select count(*) from proxy_items")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(50);
            }
        }
    }

    @Test
    void relaysOverTheServersUnixSocketAndOverTcpWithout() throws Exception {
        DatabaseEndpoint server = fx.postgres.endpoint();
        assertThat(server.unixSocket()).isPresent();
        try (Connection c = connect()) {
            assertThat(clientAddressSeenByPostgres(c)).isNull(); // a Unix socket connection has no address
        }
        String tcpOnly = "tcponlytcponlytcponlytcpo1";
        fx.clusters.put(new ClusterView(
                tcpOnly,
                GatewayFixture.ACCOUNT,
                GatewayFixture.REGION,
                ClusterStatus.ACTIVE,
                Optional.of(new DatabaseEndpoint(server.host(), server.port()))));
        try (Connection c = DriverManager.getConnection(
                fx.jdbcUrl(fx.gateway.port(), "sslmode=require"),
                "admin",
                adminToken(GatewayFixture.endpoint(tcpOnly)))) {
            assertThat(clientAddressSeenByPostgres(c)).isEqualTo("127.0.0.1/32");
        }
    }

    private static String clientAddressSeenByPostgres(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select inet_client_addr()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void copyInAndOut() throws Exception {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            // A temporary table: the cluster's DSQL row limit (3,000 per transaction) applies to permanent tables
            // only, and this is about the proxy streaming 20,000 rows each way.
            st.execute("create temp table proxy_copy (id int, v text)");
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < 20_000; i++) {
                data.append(i).append('\t').append("value-").append(i).append('\n');
            }
            assertThat(copy.copyIn("COPY proxy_copy FROM STDIN", new StringReader(data.toString())))
                    .isEqualTo(20_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(copy.copyOut("COPY (select * from proxy_copy order by id) TO STDOUT", out))
                    .isEqualTo(20_000);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(data.toString());
        }
    }

    @Test
    void noticesReachTheClient() throws Exception {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute("do $$ begin raise notice 'hello from %', 'plpgsql'; end $$");
            SQLWarning warning = st.getWarnings();
            assertThat((Object) warning).isNotNull();
            assertThat(warning.getMessage()).contains("hello from plpgsql");
        }
    }

    @Test
    void largeResultStreamsThrough() throws Exception {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.setFetchSize(1000);
                long rows = 0;
                long sum = 0;
                try (ResultSet rs = st.executeQuery("select g, repeat('x', 200) from generate_series(1, 300000) g")) {
                    while (rs.next()) {
                        rows++;
                        sum += rs.getLong(1);
                        assertThat(rs.getString(2)).hasSize(200);
                    }
                }
                assertThat(rows).isEqualTo(300_000);
                assertThat(sum).isEqualTo(300_000L * 300_001L / 2);
            }
            c.commit();
        }
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select repeat('y', 5 * 1024 * 1024)")) {
            rs.next();
            assertThat(rs.getString(1)).hasSize(5 * 1024 * 1024);
        }
    }

    @Test
    void cancelReachesTheRightBackend() throws Exception {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(
                    () -> catchThrowableOfType(SQLException.class, () -> st.execute("select pg_sleep(30)")));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fx.postgres.sessionsOf("admin") == 0 || !sleeping()) {
                assertThat(System.nanoTime()).isLessThan(until);
                Thread.sleep(50);
            }
            long start = System.nanoTime();
            st.cancel();
            Throwable error = running.get(10, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(PSQLException.class);
            assertThat(((PSQLException) error).getSQLState()).isEqualTo("57014");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
                    .isLessThan(10);
            try (ResultSet rs = st.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void slowReaderDoesNotMakeTheGatewayBuffer() throws Exception {
        try (RawPgClient c =
                new RawPgClient(fx.gateway.port()).startTls(fx.caFile()).login(adminToken("localhost"))) {
            // About 300 MB of rows; the client reads nothing for a while.
            c.query("select repeat('x', 1000) from generate_series(1, 300000)");
            // The gateway stops reading from PostgreSQL while the client does not read, so PostgreSQL blocks writing
            // (wait event ClientWrite) and the gateway holds little. Measured: without that coupling the gateway
            // holds ~370 MB after these 6 s; with it, a few MB.
            Thread.sleep(6000);
            long buffered =
                    io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            assertThat(buffered).as("direct memory held by the gateway").isLessThan(64L * 1024 * 1024);
            try (Connection su = fx.postgres.superuser();
                    ResultSet rs = su.createStatement()
                            .executeQuery(
                                    "select state, wait_event from pg_stat_activity where query like 'select repeat(''x'', 1000)%'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("active");
                assertThat(rs.getString(2)).isEqualTo("ClientWrite");
            }
            int rows = 0;
            while (true) {
                RawPgClient.Message m = c.read();
                if (m.type() == 'D') {
                    rows++;
                } else if (m.type() == 'Z') {
                    break;
                }
            }
            assertThat(rows).isEqualTo(300_000);
        }
    }

    private static boolean sleeping() throws SQLException {
        try (Connection c = fx.postgres.superuser();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("select count(*) from pg_stat_activity where query like 'select pg_sleep(30)%'"
                                + " and state = 'active'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
