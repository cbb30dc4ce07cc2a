package dev.dsqllocal.testcontainers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Conflict and fault injection for one cluster of a {@link DsqlContainer}, so that retry logic can be tested
 * deterministically. Each injection is kept by the emulator until it is used up (or expires) and shows in
 * {@link #list()}.
 *
 * <pre>{@code
 * dsql.faults().failNextCommits(2, "OC000");   // the next two commits get 40001 ... (OC000)
 * dsql.faults().failNewConnections(Duration.ofSeconds(5));
 * dsql.faults().reportStatus("IDLE");          // GetCluster says IDLE until clear()
 * dsql.faults().clear();
 * }</pre>
 *
 * <p>Wire contract: {@code POST/GET/DELETE /dsql-local/clusters/{id}/faults} on the control-plane port.
 */
public final class DsqlFaults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final URI faults;

    private final String clusterIdentifier;

    DsqlFaults(URI endpoint, String clusterIdentifier) {
        this.clusterIdentifier = Objects.requireNonNull(clusterIdentifier, "clusterIdentifier");
        this.faults = endpoint.resolve("/dsql-local/clusters/" + clusterIdentifier + "/faults");
    }

    /**
     * The next {@code count} commits (COMMIT of a transaction, or an autocommit write) fail with SQLSTATE 40001 and
     * DSQL's text for {@code code}, and roll back.
     *
     * @param code {@code "OC000"} (data conflict) or {@code "OC001"} (schema changed)
     */
    public DsqlFaults failNextCommits(int count, String code) {
        return post(commitConflict(count, code));
    }

    /** As {@link #failNextCommits(int, String)}, only for transactions that wrote {@code table} ({@code [schema.]name}). */
    public DsqlFaults failNextCommits(int count, String code, String table) {
        return post(commitConflict(count, code).put("table", Objects.requireNonNull(table, "table")));
    }

    /** New connections to the cluster are refused for {@code duration}; open sessions keep working. */
    public DsqlFaults failNewConnections(Duration duration) {
        return post(JSON.createObjectNode().put("type", "connection-failure").put("durationSeconds", seconds(duration)));
    }

    /** GetCluster and ListClusters report {@code status} (a ClusterStatus name) until {@link #clear()}. */
    public DsqlFaults reportStatus(String status) {
        return post(JSON.createObjectNode().put("type", "status").put("status", status));
    }

    /** GetCluster and ListClusters report {@code status} for {@code duration}. */
    public DsqlFaults reportStatus(String status, Duration duration) {
        return post(
            JSON.createObjectNode().put("type", "status").put("status", status).put("durationSeconds", seconds(duration))
        );
    }

    /** The active injections, as the emulator reports them (JSON). */
    public String list() {
        return send(HttpRequest.newBuilder(faults).GET());
    }

    /** Removes every injection of this cluster. */
    public DsqlFaults clear() {
        send(HttpRequest.newBuilder(faults).DELETE());
        return this;
    }

    public String getClusterIdentifier() {
        return clusterIdentifier;
    }

    private static ObjectNode commitConflict(int count, String code) {
        return JSON.createObjectNode().put("type", "commit-conflict").put("code", code).put("count", count);
    }

    private static long seconds(Duration duration) {
        return Objects.requireNonNull(duration, "duration").toSeconds();
    }

    private DsqlFaults post(ObjectNode body) {
        send(
            HttpRequest
                .newBuilder(faults)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        );
        return this;
    }

    private String send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                // The emulator explains a refused injection (bad code, count, status, unknown cluster) in the body.
                throw new IllegalArgumentException(
                    built.method() + " " + faults.getPath() + " answered " + response.statusCode() + ": " + response.body()
                );
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
