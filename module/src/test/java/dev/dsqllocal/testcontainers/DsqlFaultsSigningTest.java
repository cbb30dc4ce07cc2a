package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * DsqlFaults signs every call with SigV4 (service dsql, the container's region and keys), because the emulator
 * refuses unsigned fault injection in strict mode. A local HTTP server records what arrives; the signature is
 * recomputed from the received request and must match.
 */
class DsqlFaultsSigningTest {
    /** One request as the server received it. */
    private record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {}

    private final List<Received> received = new ArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            synchronized (received) {
                received.add(new Received(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        exchange.getRequestBody().readAllBytes()));
            }
            byte[] answer = "{\"faults\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void everyCallCarriesAValidSigV4SignatureForTheContainersCredentials() throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        DsqlFaults faults = new DsqlFaults(endpoint, "abc123", "eu-west-1", "AKIDEXAMPLE", "s3cr3t");

        faults.failNextCommits(2, ConflictCode.OC000);
        faults.list();
        faults.clear();

        assertThat(received).extracting(Received::method).containsExactly("POST", "GET", "DELETE");
        for (Received r : received) {
            assertThat(r.path()).isEqualTo("/dsql-local/clusters/abc123/faults");
            String authorization = header(r, "Authorization");
            assertThat(authorization)
                    .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                    .contains("/eu-west-1/dsql/aws4_request")
                    .contains("SignedHeaders=")
                    .contains("host");
            assertThat(authorization).isEqualTo(resign(endpoint, r, "s3cr3t"));
            assertThat(resign(endpoint, r, "another-secret")).isNotEqualTo(authorization);
        }
    }

    private static String header(Received r, String name) {
        return r.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " header"));
    }

    /** The Authorization header the SDK signer computes for the received request, at its X-Amz-Date. */
    private static String resign(URI endpoint, Received r, String secret) {
        Instant signedAt = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .parse(header(r, "X-Amz-Date"), Instant::from);
        SdkHttpRequest.Builder request =
                SdkHttpRequest.builder().uri(endpoint.resolve(r.path())).method(SdkHttpMethod.fromValue(r.method()));
        if (r.body().length > 0) {
            request.putHeader("Content-Type", header(r, "Content-Type"));
        }
        return AwsV4HttpSigner.create()
                .sign(s -> s.request(request.build())
                        .payload(() -> new ByteArrayInputStream(r.body()))
                        .identity(AwsCredentialsIdentity.create("AKIDEXAMPLE", secret))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "dsql")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
                .request()
                .firstMatchingHeader("Authorization")
                .orElseThrow();
    }
}
