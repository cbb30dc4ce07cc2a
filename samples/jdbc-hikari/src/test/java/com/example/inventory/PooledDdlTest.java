package com.example.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dsqllocal.testcontainers.DsqlContainer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * A pool meets DSQL's OC001 after every schema change: connections that were open when a DDL committed fail their
 * next statement once. The tests show the failure, then the two ways out: retry the transaction, or evict the pool
 * after running DDL yourself.
 */
@Testcontainers
class PooledDdlTest {
    @Container
    static DsqlContainer dsql = new DsqlContainer();

    /** A pool for DSQL: connections retired before DSQL's 60-minute limit, all of them opened at once here. */
    static HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(dsql.getJdbcUrl());
        config.setUsername(dsql.getUsername());
        config.setPassword(dsql.getPassword());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setMaxLifetime(Duration.ofMinutes(50).toMillis());
        return new HikariDataSource(config);
    }

    @Test
    void connectionsOpenWhenADdlCommitsFailTheirNextStatementOnceWithOc001() throws SQLException {
        try (HikariDataSource pool = pool(3)) {
            List<Connection> held = borrow(pool, 3);
            try {
                execute(held.get(0), "CREATE TABLE stock_seen (sku text PRIMARY KEY, quantity int NOT NULL)");

                SQLException e = catchThrowableOfType(SQLException.class, () -> count(held.get(1), "stock_seen"));
                assertThat(e.getSQLState()).isEqualTo("40001");
                assertThat(e.getMessage()).contains("schema has been updated by another transaction (OC001)");
                // Once per session: the same connection's next statement works.
                assertThat(count(held.get(1), "stock_seen")).isZero();
                // The session that ran the DDL never sees it.
                assertThat(count(held.get(0), "stock_seen")).isZero();
            } finally {
                closeAll(held);
            }
        }
    }

    @Test
    void aRetryingTransactionAbsorbsOc001AfterSomeoneElsesMigration() throws SQLException {
        try (HikariDataSource pool = pool(3)) {
            closeAll(borrow(pool, 3)); // three open, idle connections
            try (Connection migration = dsql.createConnection("")) { // e.g. a deploy job, outside this pool
                execute(migration, "CREATE TABLE stock_retried (sku text PRIMARY KEY, quantity int NOT NULL)");
            }
            OccTransactions transactions = new OccTransactions(pool, 5);
            AtomicInteger attempts = new AtomicInteger();

            for (String sku : List.of("bolt", "nut", "washer")) {
                transactions.inTransaction(c -> {
                    attempts.incrementAndGet();
                    return c.createStatement()
                            .executeUpdate("INSERT INTO stock_retried VALUES ('" + sku + "', 10)");
                });
            }

            try (Connection c = pool.getConnection()) {
                assertThat(count(c, "stock_retried")).isEqualTo(3);
            }
            assertThat(attempts.get()).as("an OC001 was met and retried").isGreaterThan(3);
        }
    }

    @Test
    void evictingThePoolAfterYourOwnDdlAvoidsOc001() throws SQLException {
        try (HikariDataSource pool = pool(3)) {
            closeAll(borrow(pool, 3));
            try (Connection c = pool.getConnection()) {
                execute(c, "CREATE TABLE stock_evicted (sku text PRIMARY KEY, quantity int NOT NULL)");
            }
            // Idle connections close now, busy ones when returned: every later borrower gets a session opened after
            // the DDL, which has nothing to be told.
            pool.getHikariPoolMXBean().softEvictConnections();

            List<Connection> held = borrow(pool, 3);
            try {
                for (Connection c : held) {
                    assertThat(count(c, "stock_evicted")).isZero();
                }
            } finally {
                closeAll(held);
            }
        }
    }

    private static List<Connection> borrow(HikariDataSource pool, int n) throws SQLException {
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(pool.getConnection());
        }
        return held;
    }

    private static void closeAll(List<Connection> connections) throws SQLException {
        for (Connection c : connections) {
            c.close();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
