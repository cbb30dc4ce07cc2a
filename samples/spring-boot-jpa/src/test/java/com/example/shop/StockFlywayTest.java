package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dsqllocal.testcontainers.DsqlCluster;
import dev.dsqllocal.testcontainers.DsqlContainer;
import org.flywaydb.core.Flyway;
import java.sql.SQLException;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Records why this sample migrates with Liquibase: Flyway's stock PostgreSQL support restores the connection's role
 * after migrating with {@code SET ROLE}, a parameter DSQL does not let a session set. Real DSQL answers the same
 * (https://github.com/flyway/flyway/issues/4088); the fix is Flyway's DSQL database support
 * ({@code software.amazon.dsql:aurora-dsql-flyway-support} or {@code org.flywaydb:flyway-database-dsql}).
 * If this test starts failing, stock Flyway has learned DSQL and the README should say so.
 */
@Testcontainers
class StockFlywayTest {
    @Container
    static DsqlContainer dsql = new DsqlContainer();

    @Test
    void stockFlywayStopsAtSetRole() {
        try (DsqlCluster cluster = dsql.createCluster()) {
            Flyway flyway = Flyway.configure()
                    .dataSource(cluster.getJdbcUrl(), "admin", cluster.generateAuthToken())
                    .locations("classpath:db/flyway")
                    .load();

            // DSQL's answer, with its SQLSTATE and message, is what the user finds under Flyway's own.
            assertThatThrownBy(flyway::migrate)
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("Unable to restore connection to its original state")
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("0A000"))
                    .hasStackTraceContaining("setting configuration parameter \"role\" not supported");
        }
    }

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
