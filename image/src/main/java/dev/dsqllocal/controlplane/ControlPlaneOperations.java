package dev.dsqllocal.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dsqllocal.clusters.Arns;
import dev.dsqllocal.clusters.Caller;
import dev.dsqllocal.clusters.ClusterService;
import dev.dsqllocal.clusters.ClusterService.MultiRegion;
import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.faults.FaultRegistry;
import dev.dsqllocal.storage.ClusterRecord;
import dev.dsqllocal.storage.StreamRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The 16 operations: validated JSON input in, the modelled JSON output out. Mutating operations with a
 * {@code clientToken} go through the service's idempotency record.
 */
public final class ControlPlaneOperations {
    private static final int LIST_CLUSTERS_DEFAULT = 20;
    private static final int LIST_STREAMS_DEFAULT = 10;

    private final ClusterService service;
    private final ObjectMapper json;
    private final FaultRegistry faults;

    public ControlPlaneOperations(ClusterService service, ObjectMapper json) {
        this(service, json, new FaultRegistry(java.time.Clock.systemUTC()));
    }

    public ControlPlaneOperations(ClusterService service, ObjectMapper json, FaultRegistry faults) {
        this.service = service;
        this.json = json;
        this.faults = faults;
    }

    /** Executes {@code operation}; the input has passed model validation. */
    public ObjectNode execute(String operation, Caller caller, ObjectNode in) {
        switch (operation) {
            case "CreateCluster":
                return idempotent(caller, operation, in, () -> clusterOutput(service.createCluster(caller,
                        new ClusterService.ClusterSpec(Optional.empty(),
                                !in.has("deletionProtectionEnabled") || in.get("deletionProtectionEnabled").asBoolean(),
                                text(in, "kmsEncryptionKey"), multiRegion(in), map(in.get("tags")),
                                text(in, "policy"))), false));
            case "GetCluster":
                return clusterOutput(service.getCluster(caller, in.get("identifier").asText()), true);
            case "UpdateCluster":
                return idempotent(caller, operation, in, () -> shortOutput(service.updateCluster(caller,
                        in.get("identifier").asText(), new ClusterService.ClusterUpdate(
                                in.has("deletionProtectionEnabled")
                                        ? Optional.of(in.get("deletionProtectionEnabled").asBoolean())
                                        : Optional.empty(),
                                text(in, "kmsEncryptionKey"), multiRegion(in)))));
            case "DeleteCluster":
                return idempotent(caller, operation, in,
                        () -> shortOutput(service.deleteCluster(caller, in.get("identifier").asText())));
            case "ListClusters":
                return listClusters(caller, in);
            case "GetVpcEndpointServiceName":
                return vpcEndpointServiceName(caller, in.get("identifier").asText());
            case "PutClusterPolicy":
                return idempotent(caller, operation, in, () -> policyVersion(service.putPolicy(caller,
                        in.get("identifier").asText(), in.get("policy").asText(), text(in, "expectedPolicyVersion"))));
            case "GetClusterPolicy": {
                ClusterRecord c = service.getPolicy(caller, in.get("identifier").asText());
                ObjectNode out = json.createObjectNode();
                out.put("policy", c.policy);
                out.put("policyVersion", Long.toString(c.policyVersion));
                return out;
            }
            case "DeleteClusterPolicy":
                return idempotent(caller, operation, in, () -> policyVersion(service.deletePolicy(caller,
                        in.get("identifier").asText(), text(in, "expectedPolicyVersion"))));
            case "CreateStream":
                return idempotent(caller, operation, in, () -> createStream(caller, in));
            case "GetStream":
                return getStream(caller, in.get("clusterIdentifier").asText(), in.get("streamIdentifier").asText());
            case "DeleteStream":
                return idempotent(caller, operation, in, () -> {
                    String cid = in.get("clusterIdentifier").asText();
                    StreamRecord s = service.deleteStream(caller, cid, in.get("streamIdentifier").asText());
                    ObjectNode out = streamSummary(caller, cid, s);
                    return out;
                });
            case "ListStreams":
                return listStreams(caller, in);
            case "TagResource":
                service.tagResource(caller, in.get("resourceArn").asText(), map(in.get("tags")));
                return json.createObjectNode();
            case "UntagResource": {
                List<String> keys = new ArrayList<>();
                in.get("tagKeys").forEach(k -> keys.add(k.asText()));
                service.untagResource(caller, in.get("resourceArn").asText(), keys);
                return json.createObjectNode();
            }
            case "ListTagsForResource": {
                ObjectNode out = json.createObjectNode();
                out.set("tags", json.valueToTree(service.listTags(caller, in.get("resourceArn").asText())));
                return out;
            }
            default:
                throw ApiException.unknownOperation();
        }
    }

    private ObjectNode idempotent(Caller caller, String operation, ObjectNode in,
            java.util.function.Supplier<ObjectNode> action) {
        Optional<String> token = text(in, "clientToken");
        ObjectNode fingerprint = in.deepCopy();
        fingerprint.remove("clientToken");
        return service.idempotent(caller, operation, token, fingerprint, action);
    }

    private ObjectNode clusterOutput(ClusterRecord c, boolean withTags) {
        ObjectNode out = shortOutput(c);
        out.put("deletionProtectionEnabled", c.deletionProtectionEnabled);
        if (c.multiRegion) {
            ObjectNode mr = out.putObject("multiRegionProperties");
            if (c.witnessRegion != null) {
                mr.put("witnessRegion", c.witnessRegion);
            }
            ArrayNode peers = mr.putArray("clusters");
            c.peerClusterArns.forEach(peers::add);
        }
        if (withTags) {
            out.set("tags", json.valueToTree(c.tags));
        }
        ObjectNode enc = out.putObject("encryptionDetails");
        enc.put("encryptionType", c.kmsKeyArn == null ? "AWS_OWNED_KMS_KEY" : "CUSTOMER_MANAGED_KMS_KEY");
        if (c.kmsKeyArn != null) {
            enc.put("kmsKeyArn", c.kmsKeyArn);
        }
        enc.put("encryptionStatus",
                c.encryptionChanging && c.status == ClusterStatus.UPDATING ? "UPDATING" : "ENABLED");
        out.put("endpoint", c.identifier + ".dsql." + c.region + ".on.aws");
        return out;
    }

    private ObjectNode shortOutput(ClusterRecord c) {
        ObjectNode out = json.createObjectNode();
        out.put("identifier", c.identifier);
        out.put("arn", Arns.cluster(c.region, c.accountId, c.identifier));
        // An injected status (tests) is reported in place of the real one, which stays untouched.
        out.put("status", faults.reportedStatus(c.identifier, c.status).name());
        out.put("creationTime", epochSeconds(c.creationTime));
        return out;
    }

    private ObjectNode listClusters(Caller caller, ObjectNode in) {
        int max = in.has("maxResults") ? in.get("maxResults").asInt() : LIST_CLUSTERS_DEFAULT;
        ClusterService.Page<ClusterRecord> page = service.listClusters(caller, max, text(in, "nextToken"));
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray("clusters");
        for (ClusterRecord c : page.items()) {
            items.addObject().put("identifier", c.identifier).put("arn",
                    Arns.cluster(c.region, c.accountId, c.identifier));
        }
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    private ObjectNode vpcEndpointServiceName(Caller caller, String id) {
        ClusterRecord c = service.getCluster(caller, id);
        // AWS uses one PrivateLink service per Region; derive a stable 6-hex suffix from the Region.
        String suffix = sha256Hex(c.region).substring(0, 6);
        ObjectNode out = json.createObjectNode();
        out.put("serviceName", "com.amazonaws." + c.region + ".dsql-" + suffix);
        out.put("clusterVpcEndpoint", c.identifier + ".dsql-" + suffix + "." + c.region + ".on.aws");
        return out;
    }

    private ObjectNode policyVersion(long version) {
        ObjectNode out = json.createObjectNode();
        out.put("policyVersion", Long.toString(version));
        return out;
    }

    private ObjectNode createStream(Caller caller, ObjectNode in) {
        String cid = in.get("clusterIdentifier").asText();
        JsonNode kinesis = in.get("targetDefinition").get("kinesis");
        StreamRecord s = service.createStream(caller, cid, new ClusterService.StreamSpec(
                kinesis.get("streamArn").asText(), kinesis.get("roleArn").asText(), in.get("ordering").asText(),
                in.get("format").asText(), map(in.get("tags"))));
        ObjectNode out = streamSummary(caller, cid, s);
        out.put("ordering", s.ordering);
        out.put("format", s.format);
        return out;
    }

    private ObjectNode getStream(Caller caller, String cid, String sid) {
        StreamRecord s = service.getStream(caller, cid, sid);
        ObjectNode out = streamSummary(caller, cid, s);
        out.put("ordering", s.ordering);
        out.put("format", s.format);
        ObjectNode kinesis = out.putObject("targetDefinition").putObject("kinesis");
        kinesis.put("streamArn", s.kinesisStreamArn);
        kinesis.put("roleArn", s.roleArn);
        out.set("tags", json.valueToTree(s.tags));
        return out;
    }

    private ObjectNode streamSummary(Caller caller, String cid, StreamRecord s) {
        ObjectNode out = json.createObjectNode();
        out.put("clusterIdentifier", cid);
        out.put("streamIdentifier", s.identifier);
        out.put("arn", Arns.stream(caller.region(), caller.accountId(), cid, s.identifier));
        out.put("status", s.status.name());
        out.put("creationTime", epochSeconds(s.creationTime));
        return out;
    }

    private ObjectNode listStreams(Caller caller, ObjectNode in) {
        String cid = in.get("clusterIdentifier").asText();
        int max = in.has("maxResults") ? in.get("maxResults").asInt() : LIST_STREAMS_DEFAULT;
        ClusterService.Page<StreamRecord> page = service.listStreams(caller, cid, max, text(in, "nextToken"));
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray("streams");
        page.items().forEach(s -> items.add(streamSummary(caller, cid, s)));
        page.nextToken().ifPresent(t -> out.put("nextToken", t));
        return out;
    }

    private static Optional<MultiRegion> multiRegion(ObjectNode in) {
        JsonNode mr = in.get("multiRegionProperties");
        if (mr == null) {
            return Optional.empty();
        }
        List<String> peers = new ArrayList<>();
        mr.path("clusters").forEach(p -> peers.add(p.asText()));
        return Optional.of(new MultiRegion(text(mr, "witnessRegion"), peers));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /** restJson1 timestamps: epoch seconds with millisecond fraction. */
    static BigDecimal epochSeconds(long millis) {
        return BigDecimal.valueOf(millis, 3);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
