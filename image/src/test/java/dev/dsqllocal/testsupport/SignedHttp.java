package dev.dsqllocal.testsupport;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Raw HTTP to the control plane, SigV4-signed with the SDK signer (for operations the Java SDK lacks, and the
 * emulator's own fault endpoints).
 */
public final class SignedHttp {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection");
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    public SignedHttp(int port) {
        this.port = port;
    }

    public HttpResponse<String> send(
            String method,
            String pathAndQuery,
            String body,
            String accessKey,
            String secret,
            String region,
            String service,
            Clock clock)
            throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + pathAndQuery);
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
        if (body != null) {
            b.putHeader("Content-Type", "application/json");
        }
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.request(b.build())
                        .payload(() -> new ByteArrayInputStream(bytes))
                        .identity(AwsCredentialsIdentity.create(accessKey, secret))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        return raw(method, uri, signed.request().headers(), bytes);
    }

    public HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
        return send(method, pathAndQuery, body, "test", "test", "us-east-1", "dsql", Clock.systemUTC());
    }

    public HttpResponse<String> raw(String method, URI uri, Map<String, List<String>> headers, byte[] body)
            throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                .method(
                        method,
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((k, vs) -> {
            if (!RESTRICTED.contains(k.toLowerCase())) {
                vs.forEach(v -> rb.header(k, v));
            }
        });
        return http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
    }
}
