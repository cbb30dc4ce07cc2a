package dev.dsqllocal.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dsqllocal.clusters.Arns;
import dev.dsqllocal.clusters.Caller;
import dev.dsqllocal.clusters.Cluster;
import dev.dsqllocal.clusters.ClusterDomain;
import dev.dsqllocal.clusters.ClusterException;
import dev.dsqllocal.clusters.ClusterService;
import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.clusters.ClusterStream;
import dev.dsqllocal.clusters.ClusterStreams;
import dev.dsqllocal.clusters.MultiRegion;
import dev.dsqllocal.clusters.Page;
import dev.dsqllocal.faults.FaultRegistry;
import dev.dsqllocal.storage.StateStore;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The 16 operations: validated JSON input in, the modelled JSON output out. Each decodes its input, makes one
 * call to the domain and encodes the result; a domain refusal becomes the AWS error of the same meaning
 * ({@link DomainErrors}). Mutating operations with a {@code clientToken} go through {@link IdempotentRequests}.
 */
public final class ControlPlaneOperations {
    private static final int LIST_CLUSTERS_DEFAULT = 20;
    private static final int LIST_STREAMS_DEFAULT = 10;
    private static final String CLUSTERS = "cluster";
    private static final String STREAMS = "stream";

    private final ClusterDomain domain;
    private final ObjectMapper json;
    private final FaultRegistry faults;
    private final IdempotentRequests idempotency;

    /** {@code store} keeps the idempotency records (it has been loaded). */
    public ControlPlaneOperations(
            ClusterDomain domain, StateStore store, ObjectMapper json, FaultRegistry faults, Clock clock) {
        this.domain = domain;
        this.json = json;
        this.faults = faults;
        this.idempotency = new IdempotentRequests(store, clock);
    }

    /** Executes {@code operation}; the input has passed model validation. */
    public ObjectNode execute(String operation, Caller caller, ObjectNode in) {
        try {
            return dispatch(operation, caller, in);
        } catch (ClusterException e) {
            throw DomainErrors.toApi(e);
        }
    }

    private ObjectNode dispatch(String operation, Caller caller, ObjectNode in) {
        ClusterService clusters = domain.clusters();
        switch (operation) {
            case "CreateCluster": {
                ClusterService.ClusterSpec spec = new ClusterService.ClusterSpec(
                        Optional.empty(),
                        !in.has("deletionProtectionEnabled")
                                || in.get("deletionProtectionEnabled").asBoolean(),
                        text(in, "kmsEncryptionKey"),
                        multiRegion(in),
                        map(in.get("tags")),
                        policy(in));
                return idempotent(
                        caller, operation, in, () -> clusterOutput(clusters.createCluster(caller, spec), false));
            }
            case "GetCluster":
                return clusterOutput(
                        clusters.getCluster(caller, in.get("identifier").asText()), true);
            case "UpdateCluster": {
                ClusterService.ClusterUpdate update = new ClusterService.ClusterUpdate(
                        in.has("deletionProtectionEnabled")
                                ? Optional.of(
                                        in.get("deletionProtectionEnabled").asBoolean())
                                : Optional.empty(),
                        text(in, "kmsEncryptionKey"),
                        multiRegion(in));
                return idempotent(
                        caller,
                        operation,
                        in,
                        () -> shortOutput(clusters.updateCluster(
                                caller, in.get("identifier").asText(), update)));
            }
            case "DeleteCluster":
                return idempotent(
                        caller,
                        operation,
                        in,
                        () -> shortOutput(clusters.deleteCluster(
                                caller, in.get("identifier").asText())));
            case "ListClusters":
                return listClusters(caller, in);
            case "GetVpcEndpointServiceName":
                return vpcEndpointServiceName(caller, in.get("identifier").asText());
            case "PutClusterPolicy": {
                String policy = policy(in).orElseThrow();
                return idempotent(
                        caller,
                        operation,
                        in,
                        () -> policyVersion(domain.policies()
                                .putPolicy(
                                        caller,
                                        in.get("identifier").asText(),
                                        policy,
                                        text(in, "expectedPolicyVersion"))));
            }
            case "GetClusterPolicy": {
                Cluster c =
                        domain.policies().getPolicy(caller, in.get("identifier").asText());
                ObjectNode out = json.createObjectNode();
                out.put("policy", c.policy());
                out.put("policyVersion", Long.toString(c.policyVersion()));
                return out;
            }
            case "DeleteClusterPolicy":
                return idempotent(
                        caller,
                        operation,
                        in,
                        () -> policyVersion(domain.policies()
                                .deletePolicy(
                                        caller, in.get("identifier").asText(), text(in, "expectedPolicyVersion"))));
            case "CreateStream":
                return idempotent(caller, operation, in, () -> createStream(caller, in));
            case "GetStream":
                return getStream(
                        caller,
                        in.get("clusterIdentifier").asText(),
                        in.get("streamIdentifier").asText());
            case "DeleteStream":
                return idempotent(caller, operation, in, () -> {
                    String cid = in.get("clusterIdentifier").asText();
                    ClusterStream s = domain.streams()
                            .deleteStream(
                                    caller, cid, in.get("streamIdentifier").asText());
                    return streamSummary(caller, cid, s);
                });
            case "ListStreams":
                return listStreams(caller, in);
            case "TagResource":
                domain.tags().tagResource(caller, in.get("resourceArn").asText(), map(in.get("tags")));
                return json.createObjectNode();
            case "UntagResource": {
                List<String> keys = new ArrayList<>();
                in.get("tagKeys").forEach(k -> keys.add(k.asText()));
                domain.tags().untagResource(caller, in.get("resourceArn").asText(), keys);
                return json.createObjectNode();
            }
            case "ListTagsForResource": {
                ObjectNode out = json.createObjectNode();
                out.set(
                        "tags",
                        json.valueToTree(domain.tags()
                                .listTags(caller, in.get("resourceArn").asText())));
                return out;
            }
            default:
                throw ApiException.unknownOperation();
        }
    }

    private ObjectNode idempotent(Caller caller, String operation, ObjectNode in, Supplier<ObjectNode> action) {
        Optional<String> token = text(in, "clientToken");
        ObjectNode fingerprint = in.deepCopy();
        fingerprint.remove("clientToken");
        return idempotency.run(caller, operation, token, fingerprint, action);
    }

    /** The {@code policy} member, which must hold a JSON object (the model only says it is a string). */
    private Optional<String> policy(ObjectNode in) {
        Optional<String> policy = text(in, "policy");
        if (policy.isPresent()) {
            try {
                JsonNode node = json.readTree(policy.get());
                if (node == null || !node.isObject()) {
                    throw notAnObject();
                }
            } catch (IOException e) {
                throw notAnObject();
            }
        }
        return policy;
    }

    private static ApiException notAnObject() {
        return ApiException.invalidField("policy", "The policy document must be a JSON object.");
    }

    private ObjectNode clusterOutput(Cluster c, boolean withTags) {
        ObjectNode out = shortOutput(c);
        out.put("deletionProtectionEnabled", c.deletionProtectionEnabled());
        if (c.multiRegion()) {
            ObjectNode mr = out.putObject("multiRegionProperties");
            if (c.witnessRegion() != null) {
                mr.put("witnessRegion", c.witnessRegion());
            }
            // AWS lists the cluster itself with its peers (the multi-Region guide's CreateCluster response shows
            // its own ARN: https://docs.aws.amazon.com/aurora-dsql/latest/userguide/multi-region-aws-cli.html).
            ArrayNode peers = mr.putArray("clusters");
            peers.add(Arns.cluster(c.region(), c.accountId(), c.identifier()));
            c.peerClusterArns().forEach(peers::add);
        }
        if (withTags) {
            out.set("tags", json.valueToTree(c.tags()));
        }
        ObjectNode enc = out.putObject("encryptionDetails");
        enc.put("encryptionType", c.kmsKeyArn() == null ? "AWS_OWNED_KMS_KEY" : "CUSTOMER_MANAGED_KMS_KEY");
        if (c.kmsKeyArn() != null) {
            enc.put("kmsKeyArn", c.kmsKeyArn());
        }
        enc.put(
                "encryptionStatus",
                c.encryptionChanging() && c.status() == ClusterStatus.UPDATING ? "UPDATING" : "ENABLED");
        out.put("endpoint", c.identifier() + ".dsql." + c.region() + ".on.aws");
        return out;
    }

    private ObjectNode shortOutput(Cluster c) {
        ObjectNode out = json.createObjectNode();
        out.put("identifier", c.identifier());
        out.put("arn", Arns.cluster(c.region(), c.accountId(), c.identifier()));
        // An injected status (tests) is reported in place of the real one, which stays untouched.
        out.put("status", faults.reportedStatus(c.identifier(), c.status()).name());
        out.put("creationTime", epochSeconds(c.creationTime()));
        return out;
    }

    private ObjectNode listClusters(Caller caller, ObjectNode in) {
        int max = in.has("maxResults") ? in.get("maxResults").asInt() : LIST_CLUSTERS_DEFAULT;
        String after =
                text(in, "nextToken").map(t -> PageToken.decode(CLUSTERS, t)).orElse("");
        Page<Cluster> page = domain.clusters().listClusters(caller, max, after);
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray("clusters");
        for (Cluster c : page.items()) {
            items.addObject()
                    .put("identifier", c.identifier())
                    .put("arn", Arns.cluster(c.region(), c.accountId(), c.identifier()));
        }
        if (page.more()) {
            out.put(
                    "nextToken",
                    PageToken.encode(
                            CLUSTERS, page.items().get(page.items().size() - 1).identifier()));
        }
        return out;
    }

    private ObjectNode vpcEndpointServiceName(Caller caller, String id) {
        Cluster c = domain.clusters().getCluster(caller, id);
        // AWS uses one PrivateLink service per Region; derive a stable 6-hex suffix from the Region.
        String suffix = sha256Hex(c.region()).substring(0, 6);
        ObjectNode out = json.createObjectNode();
        out.put("serviceName", "com.amazonaws." + c.region() + ".dsql-" + suffix);
        out.put("clusterVpcEndpoint", c.identifier() + ".dsql-" + suffix + "." + c.region() + ".on.aws");
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
        ClusterStream s = domain.streams()
                .createStream(
                        caller,
                        cid,
                        new ClusterStreams.StreamSpec(
                                kinesis.get("streamArn").asText(),
                                kinesis.get("roleArn").asText(),
                                in.get("ordering").asText(),
                                in.get("format").asText(),
                                map(in.get("tags"))));
        ObjectNode out = streamSummary(caller, cid, s);
        out.put("ordering", s.ordering());
        out.put("format", s.format());
        return out;
    }

    private ObjectNode getStream(Caller caller, String cid, String sid) {
        ClusterStream s = domain.streams().getStream(caller, cid, sid);
        ObjectNode out = streamSummary(caller, cid, s);
        out.put("ordering", s.ordering());
        out.put("format", s.format());
        ObjectNode kinesis = out.putObject("targetDefinition").putObject("kinesis");
        kinesis.put("streamArn", s.kinesisStreamArn());
        kinesis.put("roleArn", s.roleArn());
        if (s.failure() != null) {
            ObjectNode reason = out.putObject("statusReason");
            reason.put("error", s.failure().error());
            reason.put("updatedAt", epochSeconds(s.failure().updatedAt()));
        }
        out.set("tags", json.valueToTree(s.tags()));
        return out;
    }

    private ObjectNode streamSummary(Caller caller, String cid, ClusterStream s) {
        ObjectNode out = json.createObjectNode();
        out.put("clusterIdentifier", cid);
        out.put("streamIdentifier", s.identifier());
        out.put("arn", Arns.stream(caller.region(), caller.accountId(), cid, s.identifier()));
        out.put("status", s.status().name());
        out.put("creationTime", epochSeconds(s.creationTime()));
        return out;
    }

    private ObjectNode listStreams(Caller caller, ObjectNode in) {
        String cid = in.get("clusterIdentifier").asText();
        int max = in.has("maxResults") ? in.get("maxResults").asInt() : LIST_STREAMS_DEFAULT;
        String after =
                text(in, "nextToken").map(t -> PageToken.decode(STREAMS, t)).orElse("");
        Page<ClusterStream> page = domain.streams().listStreams(caller, cid, max, after);
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray("streams");
        page.items().forEach(s -> items.add(streamSummary(caller, cid, s)));
        if (page.more()) {
            out.put(
                    "nextToken",
                    PageToken.encode(
                            STREAMS, page.items().get(page.items().size() - 1).identifier()));
        }
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
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
