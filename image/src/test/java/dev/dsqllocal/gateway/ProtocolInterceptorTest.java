package dev.dsqllocal.gateway;

import static dev.dsqllocal.gateway.GatewayFixture.adminToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The seam the DSQL dialect uses: an interceptor can answer a message itself, or let it through. */
class ProtocolInterceptorTest {

    /** Refuses simple queries mentioning "forbidden" the way a dialect rule would; counts rows it relays. */
    static final class RefusingInterceptor implements ProtocolInterceptor {
        final AtomicInteger dataRows;

        RefusingInterceptor(AtomicInteger dataRows) {
            this.dataRows = dataRows;
        }

        @Override
        public ByteBuf onClientMessage(Session session, ByteBuf message) {
            if (message.getByte(message.readerIndex()) == 'Q'
                    && message.toString(StandardCharsets.UTF_8).contains("forbidden")) {
                io.netty.buffer.ByteBufAllocator alloc = message.alloc();
                message.release(); // dropped: the interceptor owns it and must release it
                session.toClient(new GatewayError("ERROR", "0A000", "forbidden is not supported", null).response()
                        .encode(alloc));
                session.toClient(alloc.buffer(6).writeByte('Z').writeInt(5).writeByte('I'));
                return null;
            }
            return message;
        }

        @Override
        public ByteBuf onServerMessage(Session session, ByteBuf message) {
            if (message.getByte(message.readerIndex()) == 'D') {
                dataRows.incrementAndGet();
            }
            return message;
        }
    }

    @Test
    void interceptorAnswersForTheServer() throws Exception {
        GatewayFixture fx = GatewayFixture.get();
        AtomicInteger rows = new AtomicInteger();
        try (SqlGateway gateway = fx.startGateway(s -> s, (cluster, user) -> new RefusingInterceptor(rows));
                Connection c = DriverManager.getConnection(fx.jdbcUrl(gateway.port(),
                        "sslmode=require&preferQueryMode=simple"), "admin", adminToken("localhost"))) {
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> c.createStatement().executeQuery("select 'forbidden'"));
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
