package dev.dsqllocal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.testsupport.SignedHttp;
import dev.dsqllocal.testsupport.TestSupport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wire protocol with SigV4-signed raw HTTP: the four stream operations (not in the Java SDK), bad input, and
 * authentication failures. Every refusal is checked for AWS's status and error type and for leaving state alone.
 */
class RawApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KINESIS = "arn:aws:kinesis:us-east-1:000000000000:stream/cdc";
    private static final String ROLE = "arn:aws:iam::000000000000:role/dsql-cdc";

    static DsqlLocalServer server;
    static SignedHttp http;
    static String clusterId;

    @BeforeAll
    static void start() throws Exception {
        server = DsqlLocalServer.start(
                ServerConfig.of(Map.of(
                        Option.API_PORT,
                        "0",
                        Option.BIND_ADDRESS,
                        "127.0.0.1",
                        Option.MAX_STREAMS,
                        "2",
                        Option.CREDENTIALS,
                        "OTHERKEY:othersecret:111111111111")),
                TestSupport.fleets(),
                null);
        http = new SignedHttp(server.apiPort());
        clusterId = server.defaultClusterId().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonNode body(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String type) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("X-Amzn-ErrorType")).hasValue(type);
        assertThat(r.headers().firstValue("X-Amzn-RequestId")).isPresent();
        assertThat(body(r).path("__type").asText()).isEqualTo(type);
        assertThat(body(r).path("message").asText()).isNotBlank();
    }

    private static String streamBody() {
        return "{\"targetDefinition\":{\"kinesis\":{\"streamArn\":\"" + KINESIS + "\",\"roleArn\":\"" + ROLE
                + "\"}},\"ordering\":\"UNORDERED\",\"format\":\"JSON\",\"tags\":{\"k\":\"v\"}}";
    }

    private static int streamCount() throws Exception {
        return body(http.send("GET", "/stream/" + clusterId + "?max-results=100", null))
                .get("streams")
                .size();
    }

    @Test
    void streamLifecycle() throws Exception {
        HttpResponse<String> created = http.send("POST", "/stream/" + clusterId, streamBody());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        JsonNode c = body(created);
        String sid = c.get("streamIdentifier").asText();
        assertThat(c.get("status").asText()).isIn("CREATING", "ACTIVE");
        assertThat(c.get("arn").asText())
                .isEqualTo("arn:aws:dsql:us-east-1:000000000000:cluster/" + clusterId + "/stream/" + sid);
        assertThat(c.get("creationTime").isNumber()).isTrue();

        JsonNode got = await("/stream/" + clusterId + "/" + sid, "ACTIVE");
        assertThat(got.at("/targetDefinition/kinesis/streamArn").asText()).isEqualTo(KINESIS);
        assertThat(got.get("tags").get("k").asText()).isEqualTo("v");

        String arn = URLEncoder.encode(c.get("arn").asText(), StandardCharsets.UTF_8);
        assertThat(http.send("POST", "/tags/" + arn, "{\"tags\":{\"x\":\"y\"}}").statusCode())
                .isEqualTo(200);
        assertThat(body(http.send("GET", "/tags/" + arn, null))
                        .get("tags")
                        .get("x")
                        .asText())
                .isEqualTo("y");

        HttpResponse<String> listed = http.send("GET", "/stream/" + clusterId + "?max-results=1", null);
        assertThat(body(listed).get("streams").get(0).get("streamIdentifier").asText())
                .isEqualTo(sid);

        HttpResponse<String> deleted =
                http.send("DELETE", "/stream/" + clusterId + "/" + sid + "?client-token=abc", null);
        assertThat(body(deleted).get("status").asText()).isEqualTo("DELETING");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status;
        do {
            status = http.send("GET", "/stream/" + clusterId + "/" + sid, null).statusCode();
        } while (status == 200 && System.nanoTime() < deadline);
        assertError(http.send("GET", "/stream/" + clusterId + "/" + sid, null), 404, "ResourceNotFoundException");
    }

    private static JsonNode await(String path, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode got;
        do {
            got = body(http.send("GET", path, null));
        } while (!status.equals(got.path("status").asText()) && System.nanoTime() < deadline);
        assertThat(got.path("status").asText()).isEqualTo(status);
        return got;
    }

    @Test
    void streamRulesAndQuota() throws Exception {
        int before = streamCount();
        String otherAccount = streamBody().replace("us-east-1:000000000000:stream", "us-east-1:999999999999:stream");
        assertError(http.send("POST", "/stream/" + clusterId, otherAccount), 400, "ValidationException");
        assertError(
                http.send("POST", "/stream/" + clusterId, streamBody().replace("UNORDERED", "ORDERED")),
                400,
                "ValidationException");
        assertError(
                http.send("POST", "/stream/" + clusterId, streamBody().replace("\"JSON\"", "\"AVRO\"")),
                400,
                "ValidationException");
        assertError(
                http.send(
                        "POST",
                        "/stream/" + clusterId,
                        "{\"targetDefinition\":{},\"ordering\":\"UNORDERED\"," + "\"format\":\"JSON\"}"),
                400,
                "ValidationException");
        assertError(
                http.send("POST", "/stream/ruabtlcu6nqjdl6k6jjcug67ta", streamBody()),
                404,
                "ResourceNotFoundException");
        assertThat(streamCount()).isEqualTo(before);
        // max-streams is 2 in this class.
        while (streamCount() < 2) {
            assertThat(http.send("POST", "/stream/" + clusterId, streamBody()).statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> over = http.send("POST", "/stream/" + clusterId, streamBody());
        assertError(over, 402, "ServiceQuotaExceededException");
        assertThat(body(over).get("message").asText()).isEqualTo("You have reached the stream limit.");
        assertThat(body(over).has("quotaCode")).isTrue();
        assertThat(streamCount()).isEqualTo(2);
        for (JsonNode s : body(http.send("GET", "/stream/" + clusterId, null)).get("streams")) {
            await("/stream/" + clusterId + "/" + s.get("streamIdentifier").asText(), "ACTIVE");
            http.send(
                    "DELETE",
                    "/stream/" + clusterId + "/" + s.get("streamIdentifier").asText(),
                    null);
        }
    }

    @Test
    void badInputIsAValidationExceptionAndChangesNothing() throws Exception {
        int clusters = body(http.send("GET", "/cluster?max-results=100", null))
                .get("clusters")
                .size();
        HttpResponse<String> malformed = http.send("POST", "/cluster", "{\"deletionProtectionEnabled\":");
        assertError(malformed, 400, "ValidationException");
        assertThat(body(malformed).get("reason").asText()).isEqualTo("cannotParse");
        assertThat(body(http.send("POST", "/cluster", "[1]")).get("reason").asText())
                .isEqualTo("cannotParse");

        HttpResponse<String> wrongType = http.send("POST", "/cluster", "{\"deletionProtectionEnabled\":\"yes\"}");
        assertError(wrongType, 400, "ValidationException");
        assertThat(body(wrongType).get("reason").asText()).isEqualTo("fieldValidationFailed");
        assertThat(body(wrongType).get("fieldList").get(0).get("name").asText()).isEqualTo("deletionProtectionEnabled");

        assertError(http.send("POST", "/cluster", "{\"colour\":\"blue\"}"), 400, "ValidationException");
        assertError(http.send("POST", "/cluster", "{\"kmsEncryptionKey\":\"not a key!\"}"), 400, "ValidationException");
        assertError(
                http.send("POST", "/cluster", "{\"clientToken\":\"" + "x".repeat(129) + "\"}"),
                400,
                "ValidationException");
        assertError(http.send("POST", "/cluster", "{\"tags\":{\"bad#key\":\"v\"}}"), 400, "ValidationException");
        assertError(
                http.send("POST", "/cluster", "{\"multiRegionProperties\":{\"clusters\":[\"a\",\"a\"]}}"),
                400,
                "ValidationException");
        HttpResponse<String> badId = http.send("GET", "/cluster/NOT-AN-ID", null);
        assertError(badId, 400, "ValidationException");
        assertThat(body(badId).get("fieldList").get(0).get("name").asText()).isEqualTo("identifier");
        assertError(http.send("GET", "/cluster/" + "a".repeat(27), null), 400, "ValidationException");
        assertError(http.send("GET", "/cluster?max-results=0", null), 400, "ValidationException");
        assertError(http.send("GET", "/cluster?max-results=101", null), 400, "ValidationException");
        assertError(http.send("GET", "/cluster?max-results=ten", null), 400, "ValidationException");
        assertError(http.send("GET", "/cluster?next-token=bogus", null), 400, "ValidationException");
        assertError(http.send("GET", "/nope", null), 404, "UnknownOperationException");
        assertError(http.send("PUT", "/cluster", null), 404, "UnknownOperationException");
        assertError(
                http.send("GET", "/tags/" + URLEncoder.encode("arn:aws:s3:::bucket", StandardCharsets.UTF_8), null),
                400,
                "ValidationException");
        assertThat(body(http.send("GET", "/cluster?max-results=100", null)).get("clusters"))
                .hasSize(clusters);
    }

    @Test
    void anotherAccountsResourcesAreInvisibleOrForbidden() throws Exception {
        String arn =
                URLEncoder.encode("arn:aws:dsql:us-east-1:000000000000:cluster/" + clusterId, StandardCharsets.UTF_8);
        Clock now = Clock.systemUTC();
        assertError(
                http.send("GET", "/cluster/" + clusterId, null, "OTHERKEY", "othersecret", "us-east-1", "dsql", now),
                404,
                "ResourceNotFoundException");
        assertError(
                http.send(
                        "POST",
                        "/tags/" + arn,
                        "{\"tags\":{\"a\":\"b\"}}",
                        "OTHERKEY",
                        "othersecret",
                        "us-east-1",
                        "dsql",
                        now),
                403,
                "AccessDeniedException");
        assertThat(body(http.send("GET", "/tags/" + arn, null)).get("tags").has("a"))
                .isFalse();
        // The same account in another region sees nothing either.
        assertError(
                http.send("GET", "/cluster/" + clusterId, null, "test", "test", "eu-west-1", "dsql", now),
                404,
                "ResourceNotFoundException");
        JsonNode list = body(http.send("GET", "/cluster", null, "OTHERKEY", "othersecret", "us-east-1", "dsql", now));
        assertThat(list.get("clusters")).isEmpty();
    }

    @Test
    void authenticationFailuresUseAwsErrors() throws Exception {
        int clusters = body(http.send("GET", "/cluster?max-results=100", null))
                .get("clusters")
                .size();
        URI uri = URI.create("http://127.0.0.1:" + server.apiPort() + "/cluster");
        HttpResponse<String> unsigned = http.raw(
                "POST",
                uri,
                Map.of("Content-Type", List.of("application/json")),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertError(unsigned, 403, "MissingAuthenticationTokenException");
        assertThat(body(unsigned).get("message").asText()).isEqualTo("Missing Authentication Token");

        HttpResponse<String> wrongSecret =
                http.send("POST", "/cluster", "{}", "test", "wrong", "us-east-1", "dsql", Clock.systemUTC());
        assertError(wrongSecret, 403, "InvalidSignatureException");
        assertThat(body(wrongSecret).get("message").asText()).startsWith("The request signature we calculated");

        assertError(
                http.send("POST", "/cluster", "{}", "NOBODY", "x", "us-east-1", "dsql", Clock.systemUTC()),
                403,
                "UnrecognizedClientException");
        HttpResponse<String> old = http.send(
                "POST",
                "/cluster",
                "{}",
                "test",
                "test",
                "us-east-1",
                "dsql",
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        assertError(old, 403, "InvalidSignatureException");
        assertThat(body(old).get("message").asText()).startsWith("Signature expired: ");
        HttpResponse<String> service =
                http.send("POST", "/cluster", "{}", "test", "test", "us-east-1", "s3", Clock.systemUTC());
        assertError(service, 403, "InvalidSignatureException");
        assertThat(body(service).get("message").asText())
                .startsWith("Credential should be scoped to correct service: 'dsql'.");
        assertThat(body(http.send("GET", "/cluster?max-results=100", null)).get("clusters"))
                .hasSize(clusters);
    }

    @Test
    void faultEndpointsAreSignedAndScopedToTheCallersAccountWhileHealthStaysOpen() throws Exception {
        String faults = "/dsql-local/clusters/" + clusterId + "/faults";
        URI uri = URI.create("http://127.0.0.1:" + server.apiPort() + faults);
        String body = "{\"type\":\"status\",\"status\":\"IDLE\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // Unsigned: refused as the AWS API refuses it, and nothing is injected.
        assertError(http.raw("POST", uri, Map.of(), bytes), 403, "MissingAuthenticationTokenException");
        assertError(http.raw("DELETE", uri, Map.of(), new byte[0]), 403, "MissingAuthenticationTokenException");
        // Signed with a wrong secret.
        assertError(
                http.send("POST", faults, body, "test", "wrong", "us-east-1", "dsql", Clock.systemUTC()),
                403,
                "InvalidSignatureException");
        // Another account's key: the cluster does not exist for it.
        assertThat(http.send("POST", faults, body, "OTHERKEY", "othersecret", "us-east-1", "dsql", Clock.systemUTC())
                        .statusCode())
                .isEqualTo(404);
        assertThat(http.send("GET", faults, null).body()).contains("\"faults\":[]");
        // The owner, signed: accepted.
        try {
            assertThat(http.send("POST", faults, body).statusCode()).isEqualTo(200);
            assertThat(http.send("GET", faults, null).body()).contains("IDLE");
        } finally {
            assertThat(http.send("DELETE", faults, null).statusCode()).isEqualTo(200);
        }
        // Health needs no credentials (Testcontainers' wait strategy has none).
        HttpResponse<String> health = http.raw(
                "GET",
                URI.create("http://127.0.0.1:" + server.apiPort() + "/dsql-local/health"),
                Map.of(),
                new byte[0]);
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void tamperedBodyFailsTheSignature() throws Exception {
        // Sign one body, send another: the payload hash is part of the signature.
        var signedHeaders = new java.util.LinkedHashMap<String, List<String>>();
        HttpResponse<String> ok = http.send("GET", "/dsql-local/health", null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(body(ok).get("status").asText()).isEqualTo("ready");
        software.amazon.awssdk.http.SdkHttpFullRequest req = software.amazon.awssdk.http.SdkHttpFullRequest.builder()
                .uri(URI.create("http://127.0.0.1:" + server.apiPort() + "/cluster"))
                .method(software.amazon.awssdk.http.SdkHttpMethod.POST)
                .build();
        var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create()
                .sign(r -> r.request(req)
                        .payload(() -> new java.io.ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)))
                        .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create("test", "test"))
                        .putProperty(
                                software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(
                                software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME,
                                "dsql"));
        signedHeaders.putAll(signed.request().headers());
        assertError(
                http.raw(
                        "POST",
                        req.getUri(),
                        signedHeaders,
                        "{\"deletionProtectionEnabled\":false}".getBytes(StandardCharsets.UTF_8)),
                403,
                "InvalidSignatureException");
    }

    @Test
    void stateFileIsWrittenAtomically() throws Exception {
        assertThat(server.dataDir().resolve("state.json")).exists();
        assertThat(Files.exists(server.dataDir().resolve("state.json.tmp"))).isFalse();
        assertThat(JSON.readTree(server.dataDir().resolve("state.json").toFile())
                        .get("clusters")
                        .has(clusterId))
                .isTrue();
    }
}
