package dev.dsqllocal.gateway;

import static dev.dsqllocal.gateway.GatewayFixture.adminToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed, truncated, oversized and stalled input: each ends its own connection with a clear error (or a close
 * where PostgreSQL would only close), never disturbs a session next to it, and leaks no backend connection.
 */
class GatewayBadInputIT {
    static GatewayFixture fx;
    static int port;
    Connection bystander;
    int threadsBefore;

    @BeforeAll
    static void start() throws Exception {
        fx = GatewayFixture.get();
        port = fx.gateway.port();
    }

    @BeforeEach
    void openBystander() throws Exception {
        bystander = DriverManager.getConnection(fx.jdbcUrl(port, "sslmode=require"), "admin", adminToken("localhost"));
        threadsBefore = Thread.activeCount();
    }

    @AfterEach
    void bystanderStillWorksAndNothingLeaks() throws Exception {
        try (ResultSet rs = bystander.createStatement().executeQuery("select 42")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        bystander.close();
        eventually(() -> fx.gateway.clientConnections() == 0, "client connections closed");
        eventually(() -> fx.gateway.backendConnections() == 0, "backend connections closed");
        eventually(
                () -> {
                    try {
                        return fx.postgres.sessionsOf("admin") == 0;
                    } catch (Exception e) {
                        return false;
                    }
                },
                "no admin session left in pg_stat_activity");
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 2);
    }

    @Test
    void garbageBytes() throws Exception {
        try (RawPgClient c = new RawPgClient(port)) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Map<Character, String> error = c.readError();
            assertThat(error).containsEntry('C', "08P01").containsEntry('M', "invalid length of startup packet");
            assertThat(c.closedByServer(5000)).isTrue();
        }
    }

    @Test
    void truncatedStartupPacketThenDisconnect() throws Exception {
        try (RawPgClient c = new RawPgClient(port)) {
            c.sendInt(100, 196608);
        }
        // and one that stalls: the login deadline closes it
        try (RawPgClient c = new RawPgClient(port)) {
            c.sendInt(100, 196608);
            assertThat(c.closedByServer(8000)).isTrue();
        }
    }

    @Test
    void oversizedStartupPacket() throws Exception {
        try (RawPgClient c = new RawPgClient(port)) {
            c.sendInt(20_000, 196608);
            assertThat(c.readError()).containsEntry('C', "08P01");
            assertThat(c.closedByServer(5000)).isTrue();
        }
        try (RawPgClient c = new RawPgClient(port).startTls(fx.caFile())) {
            c.sendInt(10_001, 196608);
            assertThat(c.readError())
                    .containsEntry('C', "08P01")
                    .containsEntry('M', "invalid length of startup packet");
            assertThat(c.closedByServer(5000)).isTrue();
        }
    }

    @Test
    void unsupportedProtocolVersion() throws Exception {
        try (RawPgClient c = new RawPgClient(port).startTls(fx.caFile())) {
            c.sendInt(8, 2 << 16);
            assertThat(c.readError())
                    .containsEntry('C', "0A000")
                    .containsEntry('M', "unsupported frontend protocol 2.0: server supports 3.0 to 3.0");
        }
        try (RawPgClient c = new RawPgClient(port)) {
            c.sendInt(8, 4 << 16);
            assertThat(c.readError()).containsEntry('C', "0A000");
        }
    }

    @Test
    void gssEncryptionIsDeclinedThenTlsWorks() throws Exception {
        try (RawPgClient c = new RawPgClient(port)) {
            c.sendInt(8, 80877104);
            assertThat(c.readByte()).isEqualTo('N');
            c.startTls(fx.caFile()).login(adminToken("localhost"));
            c.query("select 1");
            c.readUntilReady();
        }
    }

    @Test
    void tlsHandshakeThatNeverCompletes() throws Exception {
        try (RawPgClient c = new RawPgClient(port)) {
            c.sendInt(8, 80877103);
            assertThat(c.readByte()).isEqualTo('S');
            assertThat(c.closedByServer(8000)).isTrue();
        }
        try (RawPgClient c = new RawPgClient(port)) {
            c.send(new byte[] {0x16, 0x03, 0x01}); // the start of a ClientHello, then silence
            assertThat(c.closedByServer(8000)).isTrue();
        }
        try (RawPgClient c = new RawPgClient(port)) {
            assertThat(c.closedByServer(8000)).isTrue(); // connects and says nothing
        }
    }

    @Test
    void directTlsWithoutAlpnIsRefused() throws Exception {
        try (RawPgClient c = new RawPgClient(port).directTls(fx.caFile(), null)) {
            assertThat(c.readError())
                    .containsEntry('C', "08P01")
                    .containsEntry(
                            'M', "received direct SSL connection request without ALPN protocol negotiation extension");
        }
        try (RawPgClient c = new RawPgClient(port).directTls(fx.caFile(), "postgresql")) {
            c.login(adminToken("localhost"));
        }
    }

    @Test
    void tlsRecordFromANonTlsClient() throws Exception {
        try (RawPgClient c = new RawPgClient(port)) {
            c.send(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5});
            assertThat(c.closedByServer(5000)).isTrue();
        }
    }

    @Test
    void oversizedPasswordMessage() throws Exception {
        try (RawPgClient c = new RawPgClient(port).startTls(fx.caFile())) {
            c.startup("admin", "postgres");
            assertThat(c.read().type()).isEqualTo('R');
            // The header announces 70,000 bytes; the gateway refuses it before reading the body.
            c.send(new byte[] {'p', 0x00, 0x01, 0x11, 0x70});
            assertThat(c.readError()).containsEntry('C', "08P01").containsEntry('M', "invalid message length");
            assertThat(c.closedByServer(5000)).isTrue();
        }
    }

    @Test
    void forgedToken() throws Exception {
        String token = adminToken("localhost");
        String forged = token.substring(0, token.length() - 64) + "0".repeat(64);
        try (RawPgClient c = new RawPgClient(port).startTls(fx.caFile())) {
            c.startup("admin", "postgres");
            c.read();
            c.password(forged);
            assertThat(c.readError())
                    .containsEntry('C', "08006")
                    .containsEntry('M', "unable to accept connection, access denied");
            assertThat(c.closedByServer(5000)).isTrue();
        }
    }

    @Test
    void messageOverTenMebibytesAfterLogin() throws Exception {
        // Header only: type Q and a length of 10 MiB + 1; the gateway refuses before any body arrives.
        try (RawPgClient c = new RawPgClient(port).startTls(fx.caFile()).login(adminToken("localhost"))) {
            c.send(new byte[] {'Q', 0x00, (byte) 0xA0, 0x00, 0x01});
            Map<Character, String> error = c.readError();
            assertThat(error)
                    .containsEntry('S', "FATAL")
                    .containsEntry('C', "08P01")
                    .containsEntry('M', "invalid message length");
            assertThat(c.closedByServer(5000)).isTrue();
        }
    }

    @Test
    void clientDisconnectsMidQuery() throws Exception {
        try (RawPgClient c = new RawPgClient(port).startTls(fx.caFile()).login(adminToken("localhost"))) {
            c.query("select pg_sleep(60)");
            eventually(
                    () -> {
                        try (Connection su = fx.postgres.superuser();
                                ResultSet rs = su.createStatement()
                                        .executeQuery(
                                                "select count(*) from pg_stat_activity where query = 'select pg_sleep(60)' and state = 'active'")) {
                            rs.next();
                            return rs.getInt(1) == 1;
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    "query running");
        }
        // @AfterEach checks that the backend session ends (the gateway cancels the orphaned query).
    }

    @Test
    void wrongCaIsRejectedByTheClient() throws Exception {
        // A gateway that waits long enough for the client: pgJDBC loads the system's whole CA bundle before it can
        // reject the certificate, which takes over the shared fixture's 2 s handshake limit on a loaded machine
        // (the server then ends the handshake first, and the client reports that instead of its own refusal).
        try (SqlGateway patient = fx.startGateway(s -> s.withTlsHandshakeTimeout(Duration.ofSeconds(30)))) {
            assertThatThrownBy(() -> DriverManager.getConnection(
                            fx.jdbcUrl(
                                    patient.port(),
                                    "sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt"),
                            "admin",
                            adminToken("localhost")))
                    .hasMessageContaining("PKIX path building failed");
        }
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
