package dev.dsqllocal.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DSQL service model (a copy of botocore's {@code service-2.json}, shipped as a resource). Routing, input
 * binding and validation are all driven from it, so the emulator accepts exactly what the model describes.
 */
public final class ServiceModel {
    private static final String RESOURCE = "/dev/dsqllocal/controlplane/dsql-service-2.json";

    /** One operation: its HTTP binding and its input shape. */
    public record Operation(String name, String method, List<String> uriSegments, String inputShape) {}

    private final JsonNode shapes;
    private final Map<String, Operation> operations;

    private ServiceModel(JsonNode root) {
        this.shapes = root.get("shapes");
        Map<String, Operation> ops = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.get("operations").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode http = e.getValue().get("http");
            List<String> segments = new ArrayList<>();
            for (String s : http.get("requestUri").asText().split("/")) {
                if (!s.isEmpty()) {
                    segments.add(s);
                }
            }
            JsonNode input = e.getValue().get("input");
            ops.put(
                    e.getKey(),
                    new Operation(
                            e.getKey(),
                            http.get("method").asText(),
                            List.copyOf(segments),
                            input == null ? null : input.get("shape").asText()));
        }
        this.operations = Collections.unmodifiableMap(ops);
    }

    /** Loads the bundled model. */
    public static ServiceModel load() {
        try (InputStream in = ServiceModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("service model resource missing: " + RESOURCE);
            }
            return new ServiceModel(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, Operation> operations() {
        return operations;
    }

    /** The shape definition, e.g. {@code {"type":"string","pattern":...}}. */
    public JsonNode shape(String name) {
        JsonNode shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("no shape " + name);
        }
        return shape;
    }
}
