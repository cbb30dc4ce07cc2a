package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import dev.dsqllocal.testsupport.ShippedEmulator;
import java.io.StringReader;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;

/**
 * DSQL's 3,000-row and 10 MiB transaction limits through the protocol paths the conformance cases do not reach:
 * pgJDBC batches (several Executes before one Sync), COPY, RETURNING result sets, prepared statements in a
 * transaction block; and {@code --dialect off}, which turns them (and DSQL's {@code version()}) off.
 */
class TransactionLimitsIT {
    @RegisterExtension
    static final ShippedEmulator EMULATOR = new ShippedEmulator();

    private static Connection connect() throws SQLException {
        return EMULATOR.connect();
    }

    private static long count(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertRowLimit(SQLException e) {
        assertThat((Object) e).isNotNull();
        assertThat(e.getSQLState()).isEqualTo("54000");
        PSQLException server = e instanceof BatchUpdateException b && b.getNextException() instanceof PSQLException p
                ? p
                : (PSQLException) e;
        assertThat(server.getServerErrorMessage().getMessage()).isEqualTo("transaction row limit exceeded");
        assertThat(server.getServerErrorMessage().getWhere())
                .as("no trigger CONTEXT")
                .isNull();
    }

    @Test
    void aBatchIsOneTransactionUpToSyncAndCrossingTheLimitKeepsNothing() throws Exception {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE limits_batch (id int PRIMARY KEY)");
            try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO limits_batch SELECT g FROM generate_series(?::int, ?::int) g")) {
                for (int i = 0; i < 4; i++) {
                    insert.setInt(1, i * 1000 + 1);
                    insert.setInt(2, i * 1000 + 1000);
                    insert.addBatch();
                }
                BatchUpdateException e = catchThrowableOfType(BatchUpdateException.class, insert::executeBatch);
                assertRowLimit(e);
                assertThat(count(st, "limits_batch")).isZero();

                for (int i = 0; i < 3; i++) {
                    insert.setInt(1, i * 1000 + 1);
                    insert.setInt(2, i * 1000 + 1000);
                    insert.addBatch();
                }
                assertThat(insert.executeBatch()).containsExactly(1000, 1000, 1000);
            }
            assertThat(count(st, "limits_batch")).isEqualTo(3000);
        }
    }

    @Test
    void copyCountsTheRowsItWrites() throws Exception {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE limits_copy (id int PRIMARY KEY)");
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            String rows3001 = IntStream.rangeClosed(1, 3001)
                    .mapToObj(Integer::toString)
                    .collect(Collectors.joining("\n", "", "\n"));
            SQLException e = catchThrowableOfType(
                    SQLException.class, () -> copy.copyIn("COPY limits_copy FROM STDIN", new StringReader(rows3001)));
            assertRowLimit(e);
            assertThat(count(st, "limits_copy")).isZero();
            String rows3000 = rows3001.substring(0, rows3001.lastIndexOf("3001"));
            assertThat(copy.copyIn("COPY limits_copy FROM STDIN", new StringReader(rows3000)))
                    .isEqualTo(3000);
            assertThat(count(st, "limits_copy")).isEqualTo(3000);
        }
    }

    @Test
    void aReturningStatementOverTheLimitSendsNoRowsAndOneAtTheLimitSendsThemAll() throws Exception {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE limits_returning (id int PRIMARY KEY)");
            SQLException e = catchThrowableOfType(
                    SQLException.class,
                    () -> st.executeQuery(
                            "INSERT INTO limits_returning SELECT g FROM generate_series(1, 3001) g RETURNING id"));
            assertRowLimit(e);
            int returned = 0;
            try (ResultSet rs = st.executeQuery(
                    "INSERT INTO limits_returning SELECT g FROM generate_series(1, 3000) g RETURNING id")) {
                while (rs.next()) {
                    returned++;
                }
            }
            assertThat(returned).isEqualTo(3000);
            assertThat(count(st, "limits_returning")).isEqualTo(3000);
        }
    }

    @Test
    void preparedStatementsInATransactionBlockAbortItAtTheStatementThatCrossesTheLimit() throws Exception {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE limits_block (id int PRIMARY KEY)");
            c.setAutoCommit(false);
            try (PreparedStatement insert =
                    c.prepareStatement("INSERT INTO limits_block SELECT g FROM generate_series(?::int, ?::int) g")) {
                insert.setInt(1, 1);
                insert.setInt(2, 2999);
                assertThat(insert.executeUpdate()).isEqualTo(2999);
                insert.setInt(1, 3000);
                insert.setInt(2, 3001);
                assertRowLimit(catchThrowableOfType(SQLException.class, insert::executeUpdate));
                SQLException aborted = catchThrowableOfType(SQLException.class, () -> count(st, "limits_block"));
                assertThat(aborted.getSQLState()).isEqualTo("25P02");
            }
            c.rollback();
            c.setAutoCommit(true);
            assertThat(count(st, "limits_block")).isZero();
        }
    }

    @Test
    void theSizeLimitFailsTheImplicitCommitOfAnExtendedProtocolStatement() throws Exception {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE limits_size (id int PRIMARY KEY, v text)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO limits_size SELECT g, "
                    + "(SELECT string_agg(md5(g || '-' || x), '') FROM generate_series(1, 125) x) "
                    + "FROM generate_series(1, ?::int) g")) {
                insert.setInt(1, 2900);
                SQLException e = catchThrowableOfType(SQLException.class, insert::executeUpdate);
                assertThat(e.getSQLState()).isEqualTo("54000");
                PSQLException p = (PSQLException) e;
                assertThat(p.getServerErrorMessage().getMessage()).isEqualTo("transaction size limit 10mb exceeded");
                assertThat(p.getServerErrorMessage().getDetail()).matches("Current transaction size 1[12]mb > 10mb");
                assertThat(p.getServerErrorMessage().getWhere()).isNull();
                assertThat(count(st, "limits_size")).isZero();
                insert.setInt(1, 100);
                assertThat(insert.executeUpdate()).isEqualTo(100);
            }
            assertThat(count(st, "limits_size")).isEqualTo(100);
        }
    }

    @Test
    void withTheDialectOffThereAreNoLimitsAndVersionIsPostgresOwn() throws Exception {
        try (DsqlLocalServer plain = DsqlLocalServer.start(ServerConfig.of(Map.of(
                        Option.API_PORT,
                        "0",
                        Option.SQL_PORT,
                        "0",
                        Option.BIND_ADDRESS,
                        "127.0.0.1",
                        Option.DIALECT,
                        "off")));
                Connection c = ShippedEmulator.connectAsAdmin(plain, "");
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT version()")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("PostgreSQL 16.").contains(" on ");
            }
            st.execute("CREATE TABLE limits_off (id int PRIMARY KEY)");
            assertThat(st.executeUpdate("INSERT INTO limits_off SELECT g FROM generate_series(1, 3001) g"))
                    .isEqualTo(3001);
        }
    }
}
