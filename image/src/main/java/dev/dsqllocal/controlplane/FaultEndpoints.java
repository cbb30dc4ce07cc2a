package dev.dsqllocal.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dsqllocal.clusters.Caller;
import dev.dsqllocal.clusters.ClusterDirectory;
import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.faults.FaultRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /dsql-local/clusters/{id}/faults} (SigV4-signed in strict mode, scoped to the signer's account): POST adds an injection (JSON body, see {@link #parse}), GET lists the
 * active ones, DELETE clears them all. Bad input is answered 400 with {@code {"message": ...}}; an unknown
 * cluster 404; another method 405.
 */
public final class FaultEndpoints {
    public static final String PREFIX = LocalEndpoints.PREFIX + "clusters/";
    private static final String SUFFIX = "/faults";
    private static final Set<String> FIELDS = Set.of("type", "code", "count", "table", "durationSeconds", "status");
    private static final long MAX_SECONDS = 24 * 3600;

    private final FaultRegistry registry;
    private final ClusterDirectory clusters;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public FaultEndpoints(FaultRegistry registry, ClusterDirectory clusters, Clock clock) {
        this.registry = registry;
        this.clusters = clusters;
        this.clock = clock;
    }

    public void register(LocalEndpoints endpoints) {
        endpoints.registerHandler(PREFIX, this::handle);
    }

    LocalEndpoints.Content handle(String method, String path, byte[] body, Optional<Caller> caller) {
        String rest = path.substring(PREFIX.length());
        if (!rest.endsWith(SUFFIX)
                || rest.length() == SUFFIX.length()
                || rest.indexOf('/') != rest.length() - SUFFIX.length()) {
            return answer(404, message("No such local endpoint: " + path));
        }
        String clusterId = rest.substring(0, rest.length() - SUFFIX.length());
        // Another account's cluster is answered as if it did not exist, as the AWS API does.
        if (clusters.find(clusterId)
                .filter(c -> caller.isEmpty() || caller.get().accountId().equals(c.accountId()))
                .isEmpty()) {
            return answer(404, message("Cluster not found: " + clusterId));
        }
        return switch (method) {
            case "GET" -> answer(200, list(clusterId));
            case "DELETE" -> {
                registry.clear(clusterId);
                yield answer(200, list(clusterId));
            }
            case "POST" -> {
                try {
                    FaultRegistry.Fault fault = parse(body);
                    registry.add(clusterId, fault);
                    yield answer(200, describe(fault));
                } catch (IllegalArgumentException e) {
                    yield answer(400, message(e.getMessage()));
                }
            }
            default -> answer(405, message("Method not allowed: " + method));
        };
    }

    /**
     * {@code {"type":"commit-conflict","code":"OC000"|"OC001","count":N>=1 (default 1),"table":"schema.name"?}},
     * {@code {"type":"connection-failure","durationSeconds":S>0}},
     * {@code {"type":"status","status":"<ClusterStatus>","durationSeconds":S>0?}} (no duration: until DELETE).
     */
    FaultRegistry.Fault parse(byte[] body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("Body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("Body must be a JSON object");
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("Unknown field: " + f);
            }
        });
        String type = text(node, "type", true);
        return switch (type) {
            case "commit-conflict" -> {
                String code = text(node, "code", false);
                FaultRegistry.ConflictCode c;
                try {
                    c = FaultRegistry.ConflictCode.valueOf(code == null ? "OC000" : code);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("code must be OC000 or OC001");
                }
                long count = integer(node, "count", 1, 1, 1_000_000);
                String table = text(node, "table", false);
                if (table != null && (table.isBlank() || table.split("\\.", -1).length > 2)) {
                    throw new IllegalArgumentException("table must be name or schema.name");
                }
                yield new FaultRegistry.CommitConflict(
                        c, (int) count, table == null ? null : qualified(table.toLowerCase(Locale.ROOT)));
            }
            case "connection-failure" -> {
                if (!node.has("durationSeconds")) {
                    throw new IllegalArgumentException("durationSeconds is required");
                }
                long s = integer(node, "durationSeconds", 0, 1, MAX_SECONDS);
                yield new FaultRegistry.ConnectionFailure(clock.instant().plus(Duration.ofSeconds(s)));
            }
            case "status" -> {
                String status = text(node, "status", true);
                ClusterStatus st;
                try {
                    st = ClusterStatus.valueOf(status);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "status must be one of " + java.util.Arrays.toString(ClusterStatus.values()));
                }
                Long s = node.has("durationSeconds") ? integer(node, "durationSeconds", 0, 1, MAX_SECONDS) : null;
                yield new FaultRegistry.StatusOverride(
                        st, s == null ? null : clock.instant().plusSeconds(s));
            }
            default -> throw new IllegalArgumentException("type must be commit-conflict, connection-failure or status");
        };
    }

    private static String qualified(String table) {
        return table.contains(".") ? table : "public." + table;
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }

    private static long integer(JsonNode node, String field, long dflt, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new IllegalArgumentException(field + " must be an integer from " + min + " to " + max);
        }
        return v.asLong();
    }

    private ObjectNode list(String clusterId) {
        ObjectNode out = json.createObjectNode();
        out.put("clusterIdentifier", clusterId);
        ArrayNode faults = out.putArray("faults");
        registry.active(clusterId).forEach(f -> faults.add(describe(f)));
        return out;
    }

    private ObjectNode describe(FaultRegistry.Fault fault) {
        ObjectNode o = json.createObjectNode();
        o.put("type", fault.type());
        if (fault instanceof FaultRegistry.CommitConflict c) {
            o.put("code", c.code().name());
            o.put("remaining", c.remaining());
            c.table().ifPresent(t -> o.put("table", t));
        } else if (fault instanceof FaultRegistry.ConnectionFailure c) {
            o.put("until", c.until().toString());
        } else if (fault instanceof FaultRegistry.StatusOverride s) {
            o.put("status", s.status().name());
            if (s.until() != null) {
                o.put("until", s.until().toString());
            }
        }
        return o;
    }

    private ObjectNode message(String text) {
        return json.createObjectNode().put("message", text);
    }

    private LocalEndpoints.Content answer(int status, JsonNode body) {
        try {
            return new LocalEndpoints.Content(status, "application/json", json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
