package dev.dsqllocal.gateway;

import static dev.dsqllocal.gateway.GatewayFixture.adminToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.session.ClientRequest;
import dev.dsqllocal.session.ServerReply;
import dev.dsqllocal.session.SessionPolicy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The seam the DSQL policies use: a policy can answer a request itself, or let it through. */
class SessionPolicyIT {

    /** Refuses simple queries mentioning "forbidden" the way a dialect rule would; counts rows it relays. */
    static final class RefusingPolicy implements SessionPolicy {
        final AtomicInteger dataRows;

        RefusingPolicy(AtomicInteger dataRows) {
            this.dataRows = dataRows;
        }

        @Override
        public void onClient(Session session, ClientRequest request) {
            if (request.type() == FrontendMessage.QUERY && request.sql().contains("forbidden")) {
                request.drop();
                session.toClient(new GatewayError("ERROR", "0A000", "forbidden is not supported", null).response());
                session.toClient(new BackendMessage.ReadyForQuery('I'));
            }
        }

        @Override
        public void onServer(Session session, ServerReply reply) {
            if (reply.type() == 'D') {
                dataRows.incrementAndGet();
            }
        }
    }

    @Test
    void interceptorAnswersForTheServer() throws Exception {
        GatewayFixture fx = GatewayFixture.get();
        AtomicInteger rows = new AtomicInteger();
        try (SqlGateway gateway = fx.startGateway(s -> s, (cluster, user) -> new RefusingPolicy(rows));
                Connection c = DriverManager.getConnection(
                        fx.jdbcUrl(gateway.port(), "sslmode=require&preferQueryMode=simple"),
                        "admin",
                        adminToken("localhost"))) {
            SQLException e = catchThrowableOfType(
                    SQLException.class, () -> c.createStatement().executeQuery("select 'forbidden'"));
            assertThat(e.getSQLState()).isEqualTo("0A000");
            assertThat(e.getMessage()).contains("forbidden is not supported");
            try (ResultSet rs = c.createStatement().executeQuery("select generate_series(1, 3)")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(3);
            }
            assertThat(rows.get()).isEqualTo(3);
        }
    }
}
