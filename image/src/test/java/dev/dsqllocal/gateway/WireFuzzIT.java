package dev.dsqllocal.gateway;

import static dev.dsqllocal.gateway.GatewayBadInputIT.eventually;
import static dev.dsqllocal.gateway.GatewayFixture.adminToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bounded wire fuzzing of the SQL endpoint (seeded, so a failure repeats): random and mutated bytes before TLS,
 * garbage after the TLS upgrade and after login, truncated messages, and slow clients. After each test the server
 * serves a normal client, and no client connection, backend, PostgreSQL session or file descriptor is left over.
 */
class WireFuzzIT {
    private static final long SEED = 0x5EED_D5C1L;
    /** Descriptors the JVM may open meanwhile for its own reasons (class loading, logging). */
    private static final int FD_SLACK = 8;

    static GatewayFixture fx;
    static int port;
    long fdsBefore;

    @BeforeAll
    static void start() throws Exception {
        fx = GatewayFixture.get();
        port = fx.gateway.port();
    }

    @BeforeEach
    void countDescriptors() throws Exception {
        // A connection first, so lazily opened descriptors (TLS, JDBC, the backend pool) exist before counting.
        normalClientWorks();
        eventually(() -> fx.gateway.clientConnections() == 0, "warm-up connection closed");
        fdsBefore = openDescriptors();
    }

    @AfterEach
    void serverIsAliveAndNothingLeaked() throws Exception {
        normalClientWorks();
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
                "no admin session left in PostgreSQL");
        eventually(() -> openDescriptors() <= fdsBefore + FD_SLACK, "file descriptors back to " + fdsBefore);
    }

    private static void normalClientWorks() throws Exception {
        try (Connection c = DriverManager.getConnection(
                        fx.jdbcUrl(port, "sslmode=require"), "admin", adminToken("localhost"));
                ResultSet rs = c.createStatement().executeQuery("select 42")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    private static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] startupMessage() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        d.writeInt(196608);
        for (String s : List.of("user", "admin", "database", "postgres")) {
            d.write(s.getBytes(StandardCharsets.US_ASCII));
            d.write(0);
        }
        d.write(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DataOutputStream(out).writeInt(body.size() + 4);
        body.writeTo(out);
        return out.toByteArray();
    }

    /** Sends the bytes, waits a little for an answer or a close, then drops the connection. */
    private static void throwAt(byte[] bytes) throws IOException {
        try (RawPgClient c = new RawPgClient(port)) {
            try {
                c.send(bytes);
            } catch (IOException closedAlready) {
                return;
            }
            c.closedByServer(300);
        }
    }

    @Test
    void randomAndMutatedBytesBeforeTls() throws Exception {
        Random random = new Random(SEED);
        byte[] startup = startupMessage();
        byte[] sslRequest = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};
        for (int i = 0; i < 120; i++) {
            byte[] bytes;
            switch (i % 4) {
                case 0 -> { // pure noise
                    bytes = new byte[1 + random.nextInt(600)];
                    random.nextBytes(bytes);
                }
                case 1 -> { // a startup message with a few bytes flipped
                    bytes = startup.clone();
                    for (int k = 0; k < 1 + random.nextInt(4); k++) {
                        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> { // truncated startup or SSLRequest
                    byte[] base = random.nextBoolean() ? startup : sslRequest;
                    bytes = java.util.Arrays.copyOf(base, 1 + random.nextInt(base.length - 1));
                }
                default -> { // a valid length prefix with a random body
                    int length = 8 + random.nextInt(200);
                    bytes = new byte[length];
                    random.nextBytes(bytes);
                    bytes[0] = 0;
                    bytes[1] = 0;
                    bytes[2] = (byte) (length >>> 8);
                    bytes[3] = (byte) length;
                }
            }
            throwAt(bytes);
        }
    }

    @Test
    void garbageAfterTheTlsUpgradeRequest() throws Exception {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 30; i++) {
            try (RawPgClient c = new RawPgClient(port)) {
                c.sendInt(8, 80877103);
                assertThat(c.readByte()).isEqualTo('S');
                byte[] noise = new byte[1 + random.nextInt(400)];
                random.nextBytes(noise);
                noise[0] = (byte) (i % 2 == 0 ? 0x16 : noise[0]); // half look like a TLS handshake record
                try {
                    c.send(noise);
                } catch (IOException closedAlready) {
                    continue;
                }
                // Not TLS: the server ends the connection (at the latest at its TLS handshake timeout).
                assertThat(c.closedByServer(10_000))
                        .as("closed after noise " + i)
                        .isTrue();
            }
        }
    }

    @Test
    void garbageFramesAfterLogin() throws Exception {
        Random random = new Random(SEED + 2);
        for (int i = 0; i < 25; i++) {
            try (RawPgClient c = new RawPgClient(port).startTls(fx.caFile()).login(adminToken("localhost"))) {
                ByteArrayOutputStream frames = new ByteArrayOutputStream();
                DataOutputStream d = new DataOutputStream(frames);
                for (int k = 0; k < 1 + random.nextInt(5); k++) {
                    d.write(random.nextInt(128)); // any type byte, known or not
                    int body = random.nextInt(64);
                    d.writeInt(random.nextInt(10) == 0 ? random.nextInt() : body + 4); // sometimes a wild length
                    byte[] bytes = new byte[body];
                    random.nextBytes(bytes);
                    d.write(bytes);
                }
                try {
                    c.send(frames.toByteArray());
                } catch (IOException closedAlready) {
                    continue;
                }
                c.closedByServer(500);
            }
        }
    }

    @Test
    void truncatedMessagesAfterLoginThenDisconnect() throws Exception {
        for (int cut : new int[] {1, 3, 5, 20}) {
            try (RawPgClient c = new RawPgClient(port).startTls(fx.caFile()).login(adminToken("localhost"))) {
                byte[] query = "select 1".getBytes(StandardCharsets.US_ASCII);
                ByteArrayOutputStream m = new ByteArrayOutputStream();
                DataOutputStream d = new DataOutputStream(m);
                d.write('Q');
                d.writeInt(4 + 100); // claims more than it sends
                d.write(query);
                c.send(java.util.Arrays.copyOf(m.toByteArray(), Math.min(cut, m.size())));
            } // the client disappears mid-message
        }
    }

    @Test
    void slowClientsThatTrickleAndVanish() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                sockets.add(new Socket("127.0.0.1", port));
            }
            byte[] sslRequest = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};
            for (int b = 0; b < 7; b++) { // one byte at a time, never the last one
                for (Socket s : sockets) {
                    OutputStream out = s.getOutputStream();
                    out.write(sslRequest[b]);
                    out.flush();
                }
                Thread.sleep(150);
            }
            // Meanwhile a normal client is served.
            normalClientWorks();
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
