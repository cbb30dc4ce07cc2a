package dev.dsqllocal.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dsqllocal.clusters.Caller;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /dsql-local/streams/{streamId}/records} (SigV4-signed like the fault API, scoped to the signer's
 * account): the change records the emulator kept for a CDC stream when no Kinesis endpoint is configured, oldest
 * first, as {@code {"streamIdentifier": ..., "dropped": N, "records": [<record>, ...]}}, each record the JSON DSQL
 * would have put into Kinesis; {@code dropped} counts the oldest ones no longer kept. An unknown stream is 404.
 * {@code .../records.jsonl} answers the same records one per line (JSON Lines), for clients without a JSON library.
 */
public final class ChangeRecordEndpoints {
    public static final String PREFIX = LocalEndpoints.PREFIX + "streams/";
    private static final String SUFFIX = "/records";
    private static final String LINES_SUFFIX = "/records.jsonl";

    /** What is kept for one stream, for the account that owns it. */
    public record Kept(String accountId, List<byte[]> records, long dropped) {}

    /** Stream identifier → what is kept for it. */
    @FunctionalInterface
    public interface Source {
        Optional<Kept> kept(String streamId);
    }

    private final Source source;
    private final ObjectMapper json = new ObjectMapper();

    public ChangeRecordEndpoints(Source source) {
        this.source = source;
    }

    public void register(LocalEndpoints endpoints) {
        endpoints.registerHandler(PREFIX, this::handle);
    }

    LocalEndpoints.Content handle(String method, String path, byte[] body, Optional<Caller> caller) {
        String rest = path.substring(PREFIX.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        boolean lines = rest.endsWith(LINES_SUFFIX);
        String suffix = lines ? LINES_SUFFIX : SUFFIX;
        if (!rest.endsWith(suffix)
                || rest.length() == suffix.length()
                || rest.indexOf('/') != rest.length() - suffix.length()) {
            return answer(404, message("No such local endpoint: " + path));
        }
        String streamId = rest.substring(0, rest.length() - suffix.length());
        if (!method.equals("GET")) {
            return answer(405, message("Method not allowed: " + method));
        }
        // Another account's stream is answered as if it did not exist, as the AWS API does.
        Optional<Kept> kept = source.kept(streamId)
                .filter(k -> caller.isEmpty() || caller.get().accountId().equals(k.accountId()));
        if (kept.isEmpty()) {
            return answer(
                    404,
                    message("No records kept for stream " + streamId
                            + " (unknown stream, or the emulator delivers to a Kinesis endpoint)"));
        }
        if (lines) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (byte[] r : kept.get().records()) {
                out.writeBytes(r); // compact JSON: no raw line breaks inside a record
                out.write('\n');
            }
            return new LocalEndpoints.Content(200, "application/jsonl", out.toByteArray());
        }
        ObjectNode out = json.createObjectNode();
        out.put("streamIdentifier", streamId);
        out.put("dropped", kept.get().dropped());
        ArrayNode records = out.putArray("records");
        for (byte[] r : kept.get().records()) {
            try {
                records.add(json.readTree(r));
            } catch (IOException e) {
                throw new IllegalStateException("a kept record is not JSON", e);
            }
        }
        return answer(200, out);
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
