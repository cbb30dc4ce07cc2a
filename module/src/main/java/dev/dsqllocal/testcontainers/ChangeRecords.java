package dev.dsqllocal.testcontainers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Reads the CDC change records the emulator kept for a stream (when it has no Kinesis endpoint), from its
 * SigV4-signed {@code /dsql-local/streams/{id}/records.jsonl}: one record's JSON per line, as DSQL would have put it
 * into Kinesis.
 */
final class ChangeRecords {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    /** Headers java.net.http sets itself and refuses from callers; the signer's values for them are the same. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "connection");

    private ChangeRecords() {}

    static List<String> read(URI endpoint, String streamId, String region, String accessKey, String secretKey) {
        if (!streamId.matches("[a-z0-9]{1,64}")) {
            throw new IllegalArgumentException("not a stream identifier: " + streamId);
        }
        URI uri = endpoint.resolve("/dsql-local/streams/" + streamId + "/records.jsonl");
        Map<String, List<String>> signed = AwsV4HttpSigner.create()
                .sign(r -> r.request(SdkHttpRequest.builder()
                                .uri(uri)
                                .method(SdkHttpMethod.GET)
                                .build())
                        .payload(() -> new ByteArrayInputStream(new byte[0]))
                        .identity(AwsCredentialsIdentity.create(accessKey, secretKey))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "dsql"))
                .request()
                .headers();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(TIMEOUT);
        signed.forEach((name, values) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        try {
            HttpResponse<String> response =
                    HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException(
                        "GET " + uri.getPath() + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().lines().filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the emulator at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + uri, e);
        }
    }
}
