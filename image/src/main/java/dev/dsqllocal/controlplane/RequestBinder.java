package dev.dsqllocal.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Assembles an operation's input as one JSON object from the restJson1 bindings the model declares: path labels
 * ({@code location: uri}), query parameters ({@code querystring}, kebab-case names), and the JSON body for the
 * remaining members. Query values are converted to the member's type so the validator sees what a body would carry.
 */
public final class RequestBinder {
    private final ServiceModel model;
    private final ObjectMapper json;

    public RequestBinder(ServiceModel model, ObjectMapper json) {
        this.model = model;
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ObjectNode bind(ApiRouter.Match match, Map<String, List<String>> query, byte[] body) {
        ObjectNode input = json.createObjectNode();
        String inputShape = match.operation().inputShape();
        if (inputShape == null) {
            return input;
        }
        JsonNode members = model.shape(inputShape).get("members");
        boolean hasBodyMembers = false;
        Iterator<Map.Entry<String, JsonNode>> it = members.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            String location = m.getValue().path("location").asText("");
            String wireName = m.getValue().path("locationName").asText(m.getKey());
            switch (location) {
                case "uri": {
                    String label = match.labels().get(wireName);
                    if (label != null) {
                        input.put(m.getKey(), label);
                    }
                    break;
                }
                case "querystring": {
                    List<String> values = query.get(wireName);
                    if (values != null && !values.isEmpty()) {
                        input.set(
                                m.getKey(),
                                queryValue(m.getKey(), m.getValue().get("shape").asText(), values));
                    }
                    break;
                }
                case "header":
                    // No input of this API has header bindings; kept explicit so a model update is noticed.
                    break;
                default:
                    hasBodyMembers = true;
            }
        }
        if (hasBodyMembers && body.length > 0) {
            mergeBody(input, members, body);
        }
        return input;
    }

    private void mergeBody(ObjectNode input, JsonNode members, byte[] body) {
        JsonNode parsed;
        try {
            parsed = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.cannotParse("Could not parse request body into json: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.cannotParse("Could not parse request body into json");
        }
        if (parsed == null || parsed.isMissingNode()) {
            return;
        }
        if (!parsed.isObject()) {
            throw ApiException.cannotParse("Request body must be a JSON object");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = parsed.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode member = members.get(f.getKey());
            if (member == null || member.has("location")) {
                throw ApiException.invalidField(f.getKey(), "Unknown member '" + f.getKey() + "' in request body");
            }
            if (!f.getValue().isNull()) {
                input.set(f.getKey(), f.getValue());
            }
        }
    }

    private JsonNode queryValue(String member, String shapeName, List<String> values) {
        JsonNode shape = model.shape(shapeName);
        String type = shape.get("type").asText();
        String last = values.get(values.size() - 1);
        switch (type) {
            case "list": {
                ArrayNode array = json.createArrayNode();
                values.forEach(array::add);
                return array;
            }
            case "integer":
                try {
                    return json.getNodeFactory().numberNode(Integer.parseInt(last.trim()));
                } catch (NumberFormatException e) {
                    throw ApiException.invalidField(
                            member,
                            "Value '" + last + "' at '" + member
                                    + "' failed to satisfy constraint: Member must be an integer");
                }
            case "boolean":
                if (!last.equals("true") && !last.equals("false")) {
                    throw ApiException.invalidField(
                            member,
                            "Value '" + last + "' at '" + member
                                    + "' failed to satisfy constraint: Member must be a boolean");
                }
                return json.getNodeFactory().booleanNode(Boolean.parseBoolean(last));
            default:
                return json.getNodeFactory().textNode(last);
        }
    }
}
