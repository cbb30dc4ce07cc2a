package dev.dsqllocal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.auth.AuthMode;
import dev.dsqllocal.auth.CredentialStore;
import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.auth.SigV4Verifier;
import dev.dsqllocal.clusters.ClusterDomain;
import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.clusters.DatabaseFleet;
import dev.dsqllocal.clusters.Lifecycle;
import dev.dsqllocal.faults.FaultRegistry;
import dev.dsqllocal.storage.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher without a network, in relaxed auth mode: every operation is fed malformed and hostile input and
 * must answer with a 4xx AWS error, never a 500.
 */
class ApiDispatcherTest {
    /** No delays and the AWS default quotas. */
    static final Lifecycle NO_DELAYS =
            new Lifecycle(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 20, 5, 5);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=ANYKEY/20260101/us-east-1/dsql/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64);

    @TempDir
    Path dir;

    ClusterDomain domain;
    ApiDispatcher dispatcher;

    @BeforeEach
    void setUp() {
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
            public java.util.Set<String> existingClusterIds() {
                return java.util.Set.of();
            }

            @Override
            public void close() {}
        };
        StateStore store = new StateStore(dir, false).load();
        domain = new ClusterDomain(store.clusters(), store, fleet, NO_DELAYS, Clock.systemUTC());
        CredentialStore credentials = new CredentialStore(
                List.of(new Principal("test", "test", "000000000000", "arn:aws:iam::000000000000:root")),
                AuthMode.RELAXED);
        dispatcher = new ApiDispatcher(
                ServiceModel.load(),
                new SigV4Verifier(credentials, Clock.systemUTC()),
                new ControlPlaneOperations(
                        domain, store, JSON, new FaultRegistry(Clock.systemUTC()), Clock.systemUTC()),
                new LocalEndpoints(),
                JSON);
    }

    @AfterEach
    void tearDown() {
        domain.close();
    }

    private ApiDispatcher.Response call(String method, String uri, String body) {
        return dispatcher.handle(
                method,
                uri,
                Map.of("authorization", List.of(AUTH), "host", List.of("localhost")),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void relaxedModeAcceptsAnyKeyInTheDefaultAccount() throws Exception {
        ApiDispatcher.Response r = call("POST", "/cluster", "{}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("arn").asText()).startsWith("arn:aws:dsql:us-east-1:000000000000:cluster/");
        assertThat(r.headers()).containsKey("X-Amzn-RequestId");
        // Relaxed still needs a well-formed Authorization header.
        ApiDispatcher.Response none = dispatcher.handle("GET", "/cluster", Map.of(), new byte[0]);
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.headers()).containsEntry("X-Amzn-ErrorType", "MissingAuthenticationTokenException");
    }

    @Test
    void domainRefusalsAnswerTheAwsErrorOfTheSameMeaning() throws Exception {
        String id = JSON.readTree(call("POST", "/cluster", "{}").body())
                .get("identifier")
                .asText();
        assertThat(domain.clusters().awaitActive(id, Duration.ofSeconds(5))).isTrue();
        ApiDispatcher.Response protectedDelete = call("DELETE", "/cluster/" + id, null);
        assertThat(protectedDelete.status()).isEqualTo(400);
        JsonNode validation = JSON.readTree(protectedDelete.body());
        assertThat(validation.get("__type").asText()).isEqualTo("ValidationException");
        assertThat(validation.get("reason").asText()).isEqualTo("deletionProtectionEnabled");

        String unknown = "a".repeat(26);
        ApiDispatcher.Response missing = call("GET", "/cluster/" + unknown, null);
        assertThat(missing.status()).isEqualTo(404);
        JsonNode notFound = JSON.readTree(missing.body());
        assertThat(notFound.get("__type").asText()).isEqualTo("ResourceNotFoundException");
        assertThat(notFound.get("resourceId").asText()).isEqualTo(unknown);
        assertThat(notFound.get("resourceType").asText()).isEqualTo("cluster");

        ApiDispatcher.Response noPolicy = call("GET", "/cluster/" + id + "/policy", null);
        assertThat(noPolicy.status()).isEqualTo(404);
        ApiDispatcher.Response badPolicy = call("POST", "/cluster/" + id + "/policy", "{\"policy\":\"[1]\"}");
        assertThat(badPolicy.status()).isEqualTo(400);
        assertThat(JSON.readTree(badPolicy.body())
                        .get("fieldList")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo("policy");

        ApiDispatcher.Response badToken = call("GET", "/cluster?next-token=garbage", null);
        assertThat(badToken.status()).isEqualTo(400);
        assertThat(JSON.readTree(badToken.body())
                        .get("fieldList")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo("nextToken");
    }

    @Test
    void aClientTokenReplaysTheFirstAnswerAndRefusesOtherInput() throws Exception {
        ApiDispatcher.Response first = call("POST", "/cluster", "{\"clientToken\":\"t1\"}");
        ApiDispatcher.Response retry = call("POST", "/cluster", "{\"clientToken\":\"t1\"}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(JSON.readTree(retry.body())).isEqualTo(JSON.readTree(first.body()));
        JsonNode list = JSON.readTree(call("GET", "/cluster", null).body());
        assertThat(list.get("clusters")).hasSize(1);
        ApiDispatcher.Response other =
                call("POST", "/cluster", "{\"clientToken\":\"t1\",\"deletionProtectionEnabled\":false}");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.headers()).containsEntry("X-Amzn-ErrorType", "ConflictException");
    }

    @Test
    void pagesOfClustersContinueWithTheirToken() throws Exception {
        for (int i = 0; i < 3; i++) {
            call("POST", "/cluster", "{}");
        }
        JsonNode first =
                JSON.readTree(call("GET", "/cluster?max-results=2", null).body());
        assertThat(first.get("clusters")).hasSize(2);
        String token = first.get("nextToken").asText();
        JsonNode second = JSON.readTree(
                call("GET", "/cluster?max-results=2&next-token=" + token, null).body());
        assertThat(second.get("clusters")).hasSize(1);
        assertThat(second.has("nextToken")).isFalse();
        // A stream listing's token does not continue a cluster listing.
        String streamToken = PageToken.encode(
                "stream", first.get("clusters").get(0).get("identifier").asText());
        assertThat(call("GET", "/cluster?next-token=" + streamToken, null).status())
                .isEqualTo(400);
    }

    @Test
    void hostileInputNeverReachesAFiveHundred() throws Exception {
        String id = JSON.readTree(call("POST", "/cluster", "{}").body())
                .get("identifier")
                .asText();
        String arn = "arn%3Aaws%3Adsql%3Aus-east-1%3A000000000000%3Acluster%2F" + id;
        List<String> bodies = List.of(
                "",
                "{",
                "null",
                "[]",
                "\"s\"",
                "1",
                "{}",
                "{\"a\":1}",
                "{\"tags\":null}",
                "{\"tags\":[]}",
                "{\"tags\":{\"k\":1}}",
                "{\"policy\":{}}",
                "{\"policy\":\"\"}",
                "{\"policy\":\"not json\"}",
                "{\"multiRegionProperties\":[]}",
                "{\"multiRegionProperties\":{\"clusters\":\"x\"}}",
                "{\"multiRegionProperties\":{\"witnessRegion\":\"" + "x".repeat(60) + "\"}}",
                "{\"targetDefinition\":{\"kinesis\":{}},\"ordering\":\"UNORDERED\",\"format\":\"JSON\"}",
                "{\"targetDefinition\":{\"kinesis\":null,\"other\":{}},\"ordering\":1,\"format\":[]}",
                "{\"deletionProtectionEnabled\":1}",
                "{\"expectedPolicyVersion\":5,\"policy\":\"{}\"}",
                "{\"clientToken\":\"\"}",
                "{\"clientToken\":\"has space\"}",
                "{\"kmsEncryptionKey\":\"\"}",
                "\u0000\u0001",
                "{\"tags\":{\"" + "k".repeat(200) + "\":\"v\"}}");
        List<String[]> routes = new ArrayList<>();
        for (String target : List.of(
                "/cluster",
                "/cluster/" + id,
                "/cluster/" + id + "/policy",
                "/clusters/" + id + "/vpc-endpoint-service-name",
                "/stream/" + id,
                "/stream/" + id + "/" + id,
                "/tags/" + arn,
                "/tags/arn%3A",
                "/tags/%ZZ",
                "/cluster/%2F",
                "/cluster//policy",
                "//",
                "/cluster?max-results=-1&next-token=%00",
                "/tags/" + arn + "?tagKeys=" + "k".repeat(300),
                "/cluster/" + id + "?client-token=")) {
            for (String method : List.of("GET", "POST", "DELETE", "PUT", "PATCH")) {
                routes.add(new String[] {method, target});
            }
        }
        for (String[] route : routes) {
            for (String body : bodies) {
                ApiDispatcher.Response r = call(route[0], route[1], body);
                assertThat(r.status())
                        .as(route[0] + " " + route[1] + " " + body)
                        .isLessThan(500);
                if (r.status() >= 400) {
                    JsonNode error = JSON.readTree(r.body());
                    assertThat(error.get("__type").asText())
                            .isEqualTo(r.headers().get("X-Amzn-ErrorType"));
                }
            }
        }
    }
}
