package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.testcontainers.DsqlContainer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The statements Hibernate sends by default that DSQL refuses, and what this sample does instead. Hibernate logs the
 * first two as a WARN ("GenerationTarget encountered exception accepting command") and carries on, so the test that
 * fails later names another cause ({@code relation "..._seq" does not exist}, "This connection has been closed");
 * the WARN carries DSQL's message.
 */
@Testcontainers
class FrameworkDefaultsTest {
    @Container
    static DsqlContainer dsql = new DsqlContainer();

    @Test
    void aGeneratedLongKeysSequenceWithoutCacheIsRefused() throws SQLException {
        // What @GeneratedValue Long makes Hibernate create (allocationSize 50, no CACHE clause).
        SQLException e = refused("create sequence purchase_order_seq start with 1 increment by 50");
        assertThat(e.getSQLState()).isEqualTo("0A000");
        assertThat(e.getMessage()).contains("please define CACHE greater than or equal to 65536 or equal to 1");
    }

    @Test
    void theSettingDdlAutoSendsFirstIsRefused() throws SQLException {
        // What ddl-auto=create/create-drop sends before its DDL.
        SQLException e = refused("set client_min_messages = WARNING");
        assertThat(e.getSQLState()).isEqualTo("0A000");
    }

    @Test
    void twoDdlStatementsInOneTransactionAreRefused() throws SQLException {
        // What a migration with several DDL statements in one transaction meets (one Liquibase changeset each).
        try (Connection c = dsql.createConnection("");
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TABLE first_table (id uuid PRIMARY KEY)");
            SQLException e = catchThrowableOfType(
                    SQLException.class, () -> s.execute("CREATE TABLE second_table (id uuid PRIMARY KEY)"));
            assertThat(e.getSQLState()).isEqualTo("0A000");
            c.rollback();
        }
    }

    private static SQLException refused(String sql) throws SQLException {
        try (Connection c = dsql.createConnection("");
                Statement s = c.createStatement()) {
            return catchThrowableOfType(SQLException.class, () -> s.execute(sql));
        }
    }
}
