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
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.dsql.model.ClusterStatus;

/**
 * Conflict and fault injection for one cluster of a {@link DsqlContainer}, so that retry logic can be tested
 * deterministically. Each injection is kept by the emulator until it is used up (or expires) and shows in
 * {@link #list()}.
 *
 * <pre>{@code
 * dsql.faults().failNextCommits(2, ConflictCode.OC000);   // the next two commits get 40001 ... (OC000)
 * dsql.faults().failNewConnections(Duration.ofSeconds(5));
 * dsql.faults().reportStatus(ClusterStatus.IDLE);        // GetCluster says IDLE until clear()
 * dsql.faults().clear();
 * }</pre>
 *
 * <p>Wire contract: {@code POST/GET/DELETE /dsql-local/clusters/{id}/faults} on the control-plane port, with the
 * small JSON bodies written below, SigV4-signed (service {@code dsql}) with the container's credentials: the
 * emulator authenticates these calls like the AWS API and scopes them to the signer's account.
 */
public final class DsqlFaults {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final URI faults;

    /** Headers java.net.http sets itself and refuses from callers; the signer's values for them are the same. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "connection");

    private final String clusterIdentifier;

    private final String region;

    private final AwsCredentialsIdentity credentials;

    DsqlFaults(URI endpoint, String clusterIdentifier, String region, String accessKey, String secretKey) {
        this.clusterIdentifier = Objects.requireNonNull(clusterIdentifier, "clusterIdentifier");
        this.faults = endpoint.resolve("/dsql-local/clusters/" + clusterIdentifier + "/faults");
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = AwsCredentialsIdentity.create(accessKey, secretKey);
    }

    /**
     * The next {@code count} commits (COMMIT of a transaction, or an autocommit write) fail with SQLSTATE 40001 and
     * DSQL's text for {@code code}, and roll back.
     *
     * @param count how many commits fail (at least 1)
     * @param code the conflict reported
     * @return this, for chaining
     */
    public DsqlFaults failNextCommits(int count, ConflictCode code) {
        return post(commitConflict(count, code) + "}");
    }

    /**
     * As {@link #failNextCommits(int, ConflictCode)}, only for transactions that wrote {@code table}.
     *
     * @param count how many commits fail (at least 1)
     * @param code the conflict reported
     * @param table {@code [schema.]name} of the table a transaction must have written to fail
     * @return this, for chaining
     */
    public DsqlFaults failNextCommits(int count, ConflictCode code, String table) {
        return post(commitConflict(count, code) + ",\"table\":" + quote(Objects.requireNonNull(table, "table")) + "}");
    }

    /**
     * New connections to the cluster are refused for {@code duration}; open sessions keep working.
     *
     * @param duration how long (whole seconds)
     * @return this, for chaining
     */
    public DsqlFaults failNewConnections(Duration duration) {
        return post("{\"type\":\"connection-failure\",\"durationSeconds\":" + seconds(duration) + "}");
    }

    /**
     * GetCluster and ListClusters report {@code status} until {@link #clear()}.
     *
     * @param status the status reported
     * @return this, for chaining
     */
    public DsqlFaults reportStatus(ClusterStatus status) {
        return post("{\"type\":\"status\",\"status\":" + quote(statusName(status)) + "}");
    }

    /**
     * GetCluster and ListClusters report {@code status} for {@code duration}.
     *
     * @param status the status reported
     * @param duration how long (whole seconds)
     * @return this, for chaining
     */
    public DsqlFaults reportStatus(ClusterStatus status, Duration duration) {
        return post("{\"type\":\"status\",\"status\":" + quote(statusName(status)) + ",\"durationSeconds\":"
                + seconds(duration) + "}");
    }

    /**
     * The active injections, as the emulator reports them.
     *
     * @return a JSON document
     */
    public String list() {
        return send("GET", null);
    }

    /**
     * Removes every injection of this cluster.
     *
     * @return this, for chaining
     */
    public DsqlFaults clear() {
        send("DELETE", null);
        return this;
    }

    /**
     * The cluster these injections apply to.
     *
     * @return its identifier
     */
    public String getClusterIdentifier() {
        return clusterIdentifier;
    }

    private static String commitConflict(int count, ConflictCode code) {
        return "{\"type\":\"commit-conflict\",\"code\":\""
                + Objects.requireNonNull(code, "code").name() + "\",\"count\":" + count;
    }

    private static String statusName(ClusterStatus status) {
        if (Objects.requireNonNull(status, "status") == ClusterStatus.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("pick a ClusterStatus the SDK knows, not " + status);
        }
        return status.toString();
    }

    private static long seconds(Duration duration) {
        return Objects.requireNonNull(duration, "duration").toSeconds();
    }

    /** A JSON string literal (RFC 8259, section 7): quotes, backslashes and control characters escaped. */
    private static String quote(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private DsqlFaults post(String body) {
        send("POST", body);
        return this;
    }

    /** Signs with the SDK's SigV4 signer (the one the SDK clients use) and sends with java.net.http. */
    private String send(String method, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(faults).method(SdkHttpMethod.fromValue(method));
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        Map<String, List<String>> signed = AwsV4HttpSigner.create()
                .sign(r -> r.request(unsigned.build())
                        .payload(() -> new ByteArrayInputStream(bytes))
                        .identity(credentials)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "dsql"))
                .request()
                .headers();
        HttpRequest.Builder request = HttpRequest.newBuilder(faults)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.forEach((name, values) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpRequest built = request.timeout(TIMEOUT).build();
        try {
            HttpResponse<String> response =
                    HTTP.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                // The emulator explains a refused injection (bad code, count, status, unknown cluster) in the body.
                throw new IllegalArgumentException(built.method() + " " + faults.getPath() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the emulator at " + faults, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + faults, e);
        }
    }
}
