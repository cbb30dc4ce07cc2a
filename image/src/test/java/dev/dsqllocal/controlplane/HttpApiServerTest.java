package dev.dsqllocal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.auth.AuthMode;
import dev.dsqllocal.auth.CredentialStore;
import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.auth.SigV4Verifier;
import dev.dsqllocal.clusters.ClusterDomain;
import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.clusters.DatabaseFleet;
import dev.dsqllocal.faults.FaultRegistry;
import dev.dsqllocal.storage.StateStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API listener on loopback, fed bad HTTP over raw sockets: every answer is a 4xx (or 503 for the connection
 * limit), never a 500, and a connection that stops sending is closed within its timeout instead of held forever.
 */
class HttpApiServerTest {
    private static final HttpApiServer.Limits LIMITS =
            new HttpApiServer.Limits(8, 1024, 2048, 64 * 1024, Duration.ofMillis(800), Duration.ofMillis(1500));
    /** How long past a timeout the close may come (a shared, busy machine). */
    private static final long SLACK_MS = 3000;

    @TempDir
    Path dir;

    private ClusterDomain domain;
    private HttpApiServer server;

    @BeforeEach
    void start() throws Exception {
        DatabaseFleet fleet = new DatabaseFleet() {
            @Override
            public DatabaseEndpoint provision(String clusterId) {
                return new DatabaseEndpoint("127.0.0.1", 1);
            }

            @Override
            public Optional<DatabaseEndpoint> endpoint(String clusterId) {
                return Optional.empty();
            }

            @Override
            public void destroy(String clusterId) {}

            @Override
            public Set<String> existingClusterIds() {
                return Set.of();
            }

            @Override
            public void close() {}
        };
        StateStore store = new StateStore(dir, false).load();
        domain = new ClusterDomain(store.clusters(), store, fleet, ApiDispatcherTest.NO_DELAYS, Clock.systemUTC());
        CredentialStore credentials = new CredentialStore(
                List.of(new Principal("test", "test", "000000000000", "arn:aws:iam::000000000000:root")),
                AuthMode.STRICT);
        ObjectMapper json = new ObjectMapper();
        ApiDispatcher dispatcher = new ApiDispatcher(
                ServiceModel.load(),
                new SigV4Verifier(credentials, Clock.systemUTC()),
                new ControlPlaneOperations(
                        domain, store, json, new FaultRegistry(Clock.systemUTC()), Clock.systemUTC()),
                new LocalEndpoints(),
                json);
        server = HttpApiServer.start(dispatcher, "127.0.0.1", 0, LIMITS);
    }

    @AfterEach
    void stop() {
        server.close();
        domain.close();
    }

    /** What came back before the server closed the connection, and when it closed. */
    private record Exchange(String text, long closedAfterMs, boolean closed) {
        int status() {
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
        }
    }

    private Exchange send(byte[] request, long waitMs) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) waitMs);
            long started = System.nanoTime();
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return readUntilClosed(s, started);
        }
    }

    private static Exchange readUntilClosed(Socket s, long started) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        boolean closed;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
            closed = true;
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException reset) {
            closed = true; // a reset after the answer is a close too
        }
        return new Exchange(
                got.toString(StandardCharsets.ISO_8859_1), (System.nanoTime() - started) / 1_000_000, closed);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void malformedPercentEscapeInTheSignedPathIs400NotA500() throws Exception {
        String auth = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dsql/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);
        for (String path : List.of("/cluster/%", "/cluster/%zz", "/cluster/abc%2", "/cluster?x=%G1")) {
            Exchange r = send(
                    ascii("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Amz-Date: 20260101T000000Z\r\n"
                            + "Authorization: " + auth + "\r\nConnection: close\r\n\r\n"),
                    5000);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.text()).as(path).contains("BadRequestException");
        }
    }

    @Test
    void partialHeadersAreClosedWithin408AfterTheReadTimeout() throws Exception {
        Exchange r = send(ascii("POST /cluster HTTP/1.1\r\nHost: localhost\r\nContent-Ty"), 10_000);
        assertThat(r.closed()).isTrue();
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.closedAfterMs()).isBetween(700L, LIMITS.requestTimeout().toMillis() + SLACK_MS);
    }

    @Test
    void bodyShorterThanItsContentLengthIsClosedAfterTheReadTimeout() throws Exception {
        Exchange r = send(
                ascii("POST /cluster HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"tags\":"), 10_000);
        assertThat(r.closed()).isTrue();
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.text()).contains("RequestTimeoutException");
        assertThat(r.closedAfterMs()).isLessThan(LIMITS.requestTimeout().toMillis() + SLACK_MS);
    }

    @Test
    void bodyOverTheLimitIs413AndClosed() throws Exception {
        Exchange r = send(
                ascii("POST /cluster HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + (10 * 1024 * 1024)
                        + "\r\n\r\n"),
                5000);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.closed()).isTrue();
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        StringBuilder req =
                new StringBuilder("POST /cluster HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "x".repeat(16 * 1024);
        for (int i = 0; i < 6; i++) {
            req.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        req.append("0\r\n\r\n");
        Exchange r = send(ascii(req.toString()), 5000);
        assertThat(r.status()).isEqualTo(413);
    }

    @Test
    void oversizedHeadersAndRequestLinesAre4xx() throws Exception {
        Exchange header = send(
                ascii("GET /cluster HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(4096) + "\r\n\r\n"), 5000);
        assertThat(header.status()).isEqualTo(431);
        assertThat(header.closed()).isTrue();
        Exchange line = send(ascii("GET /" + "a".repeat(4096) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 5000);
        assertThat(line.status()).isEqualTo(414);
    }

    @Test
    void garbageAndBadHeadersAre400() throws Exception {
        List<String> bad = List.of(
                "\u0000\u0001\u0002garbage\r\n\r\n",
                "GET /cluster HTTP/1.1\r\nHost: localhost\r\nContent-Length: -5\r\n\r\n",
                "GET /cluster HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
                "GET /cluster HTTP/1.1\r\nBad Header Without Colon\r\n\r\n",
                "GET cluster HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        for (String request : bad) {
            Exchange r = send(ascii(request), 5000);
            assertThat(r.status()).as(request).isBetween(400, 499);
            assertThat(r.closed()).as(request).isTrue();
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        Exchange r = send(ascii("GET /dsql-local/nothing HTTP/1.1\r\nHost: localhost\r\n\r\n"), 10_000);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.closed()).isTrue();
        assertThat(r.closedAfterMs()).isBetween(1300L, LIMITS.idleTimeout().toMillis() + SLACK_MS);
    }

    @Test
    void connectionsBeyondTheLimitGet503AndTheServerStillServesAfterwards() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < LIMITS.maxConnections(); i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write(ascii("GET / HTTP/1.1\r\n")); // a slow client: started, never finished
                held.add(s);
            }
            Thread.sleep(200);
            Exchange refused = send(ascii("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), 5000);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.text()).contains("ServiceUnavailableException");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        Thread.sleep(300);
        Exchange served =
                send(ascii("GET /dsql-local/nothing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), 5000);
        assertThat(served.status()).isEqualTo(404);
    }
}
