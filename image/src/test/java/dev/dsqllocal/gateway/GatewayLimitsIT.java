package dev.dsqllocal.gateway;

import static dev.dsqllocal.gateway.GatewayFixture.adminToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/** DSQL's per-cluster connection limits and the maximum session duration (DSQL-BEHAVIOUR.md §2). */
class GatewayLimitsIT {
    static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = GatewayFixture.get();
    }

    static Connection connect(SqlGateway gateway) throws SQLException {
        return DriverManager.getConnection(
                fx.jdbcUrl(gateway.port(), "sslmode=require"), "admin", adminToken("localhost"));
    }

    @Test
    void tooManyOpenConnections() throws Exception {
        try (SqlGateway gateway = fx.startGateway(s -> s.withConnectionLimits(2, 0, 0));
                Connection first = connect(gateway);
                Connection second = connect(gateway)) {
            PSQLException e = catchThrowableOfType(
                    PSQLException.class, () -> connect(gateway).close());
            assertThat(e.getServerErrorMessage().getSQLState()).isEqualTo("53300");
            assertThat(e.getServerErrorMessage().getMessage())
                    .isEqualTo("Unable to accept connection, too many open connections.");
            second.close();
            GatewayBadInputIT.eventually(() -> gateway.openConnections(GatewayFixture.DEFAULT_ID) == 1, "slot freed");
            try (Connection third = connect(gateway)) {
                assertThat(third.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void closingTheGatewayEndsItsSessionsAndASecondCloseIsHarmless() throws Exception {
        SqlGateway gateway = fx.startGateway(s -> s);
        try (Connection open = connect(gateway)) {
            gateway.close();
            assertThatThrownBy(() -> open.createStatement().execute("select 1")).isInstanceOf(SQLException.class);
            gateway.close(); // e.g. try-with-resources over an already closed gateway
            assertThatThrownBy(() -> connect(gateway)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void connectionRateExceeded() throws Exception {
        try (SqlGateway gateway = fx.startGateway(s -> s.withConnectionLimits(0, 1, 2))) {
            connect(gateway).close();
            connect(gateway).close();
            PSQLException e = catchThrowableOfType(
                    PSQLException.class, () -> connect(gateway).close());
            assertThat(e.getServerErrorMessage().getSQLState()).isEqualTo("53400");
            assertThat(e.getServerErrorMessage().getMessage()).isEqualTo("Unable to accept connection, rate exceeded.");
            Thread.sleep(1100); // one token refills per second
            connect(gateway).close();
        }
    }

    @Test
    void sessionEndsAtMaximumLifetime() throws Exception {
        try (SqlGateway gateway = fx.startGateway(s -> s.withMaxConnectionLifetime(Duration.ofMillis(1500)));
                Connection c = connect(gateway)) {
            try (ResultSet rs = c.createStatement().executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
            }
            Thread.sleep(2000);
            PSQLException e = catchThrowableOfType(
                    PSQLException.class, () -> c.createStatement().executeQuery("select 1"));
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getServerErrorMessage()).isNotNull();
            assertThat(e.getServerErrorMessage().getSeverity()).isEqualTo("FATAL");
            assertThat(e.getServerErrorMessage().getMessage()).startsWith("terminating connection due to maximum");
            assertThat(c.isClosed() || !c.isValid(1)).isTrue();
            GatewayBadInputIT.eventually(() -> gateway.backendConnections() == 0, "backend closed");
        }
    }
}
