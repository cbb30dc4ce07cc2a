package dev.dsqllocal.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dsqllocal.controlplane.ApiException.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks an operation's input against its shape in the service model: required members, JSON types, string
 * lengths and patterns, integer ranges, enums, list and map sizes, unique items and unions with exactly one member.
 * Unknown members are refused too. Messages follow the AWS wording
 * ({@code Value 'x' at 'identifier' failed to satisfy constraint: Member must ...}).
 */
public final class InputValidator {
    /**
     * {@code @uniqueItems} is a Smithy trait botocore drops; these are the lists that carry it in the Smithy model.
     */
    private static final Set<String> UNIQUE_ITEMS = Set.of("ClusterArnList", "ClusterList");

    private static final int MAX_SHOWN_VALUE = 256;

    private final ServiceModel model;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    public InputValidator(ServiceModel model) {
        this.model = model;
    }

    /** Throws a ValidationException (fieldValidationFailed) listing every problem, or returns normally. */
    public void validate(String shapeName, JsonNode input) {
        List<FieldError> errors = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        check(shapeName, input, "", errors, messages);
        if (!errors.isEmpty()) {
            String message = errors.size() + " validation error" + (errors.size() == 1 ? "" : "s") + " detected: "
                    + String.join("; ", messages);
            throw ApiException.validation("fieldValidationFailed", message, errors);
        }
    }

    private void check(String shapeName, JsonNode value, String path, List<FieldError> errors, List<String> msgs) {
        JsonNode shape = model.shape(shapeName);
        String type = shape.get("type").asText();
        switch (type) {
            case "structure":
                checkStructure(shape, value, path, errors, msgs);
                break;
            case "string":
                checkString(shapeName, shape, value, path, errors, msgs);
                break;
            case "integer":
            case "long":
                if (!value.isIntegralNumber() || (type.equals("integer") && !value.canConvertToInt())) {
                    fail(
                            path,
                            value,
                            "Member must be " + ("integer".equals(type) ? "an integer" : "a long"),
                            errors,
                            msgs);
                } else {
                    checkRange(shape, value.asLong(), value, path, errors, msgs);
                }
                break;
            case "boolean":
                if (!value.isBoolean()) {
                    fail(path, value, "Member must be a boolean", errors, msgs);
                }
                break;
            case "timestamp":
                if (!value.isNumber()) {
                    fail(path, value, "Member must be a timestamp in epoch seconds", errors, msgs);
                }
                break;
            case "list":
                checkList(shapeName, shape, value, path, errors, msgs);
                break;
            case "map":
                checkMap(shape, value, path, errors, msgs);
                break;
            default:
                throw new IllegalStateException("unsupported shape type " + type + " of " + shapeName);
        }
    }

    private void checkStructure(
            JsonNode shape, JsonNode value, String path, List<FieldError> errors, List<String> msgs) {
        if (!value.isObject()) {
            fail(path, value, "Member must be a structure", errors, msgs);
            return;
        }
        JsonNode members = shape.get("members");
        Iterator<String> names = value.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!members.has(name)) {
                String at = join(path, name);
                errors.add(new FieldError(at, "Unknown member"));
                msgs.add("Unknown member '" + at + "'");
            }
        }
        for (JsonNode required : shape.path("required")) {
            JsonNode present = value.get(required.asText());
            if (present == null || present.isNull()) {
                String at = join(path, required.asText());
                errors.add(new FieldError(at, "Member must not be null"));
                msgs.add("Value null at '" + at + "' failed to satisfy constraint: Member must not be null");
            }
        }
        int set = 0;
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode member = members.get(f.getKey());
            if (member == null || f.getValue().isNull()) {
                continue;
            }
            set++;
            check(member.get("shape").asText(), f.getValue(), join(path, f.getKey()), errors, msgs);
        }
        if (shape.path("union").asBoolean(false) && set != 1) {
            String at = path.isEmpty() ? "input" : path;
            String message = "Member must have exactly one of its members set: " + fieldNames(members);
            errors.add(new FieldError(at, message));
            msgs.add("Value at '" + at + "' failed to satisfy constraint: " + message);
        }
    }

    private static List<String> fieldNames(JsonNode members) {
        List<String> names = new ArrayList<>();
        members.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void checkString(
            String shapeName, JsonNode shape, JsonNode value, String path, List<FieldError> errors, List<String> msgs) {
        if (!value.isTextual()) {
            fail(path, value, "Member must be a string", errors, msgs);
            return;
        }
        String s = value.asText();
        JsonNode allowed = shape.get("enum");
        if (allowed != null) {
            List<String> values = new ArrayList<>();
            allowed.forEach(v -> values.add(v.asText()));
            if (!values.contains(s)) {
                fail(
                        path,
                        value,
                        "Member must satisfy enum value set: [" + String.join(", ", values) + "]",
                        errors,
                        msgs);
            }
            return;
        }
        int length = s.codePointCount(0, s.length());
        if (shape.has("min") && length < shape.get("min").asInt()) {
            fail(
                    path,
                    value,
                    "Member must have length greater than or equal to "
                            + shape.get("min").asInt(),
                    errors,
                    msgs);
            return;
        }
        if (shape.has("max") && length > shape.get("max").asInt()) {
            fail(
                    path,
                    value,
                    "Member must have length less than or equal to "
                            + shape.get("max").asInt(),
                    errors,
                    msgs);
            return;
        }
        if (shape.has("pattern")) {
            // The Smithy patterns are all anchored (^...$); botocore strips the anchors, so match the whole value.
            Pattern p = patterns.computeIfAbsent(
                    shapeName, n -> Pattern.compile(shape.get("pattern").asText()));
            if (!p.matcher(s).matches()) {
                fail(
                        path,
                        value,
                        "Member must satisfy regular expression pattern: ^"
                                + shape.get("pattern").asText() + "$",
                        errors,
                        msgs);
            }
        }
    }

    private void checkRange(
            JsonNode shape, long v, JsonNode value, String path, List<FieldError> errors, List<String> msgs) {
        if (shape.has("min") && v < shape.get("min").asLong()) {
            fail(
                    path,
                    value,
                    "Member must have value greater than or equal to "
                            + shape.get("min").asLong(),
                    errors,
                    msgs);
        } else if (shape.has("max") && v > shape.get("max").asLong()) {
            fail(
                    path,
                    value,
                    "Member must have value less than or equal to "
                            + shape.get("max").asLong(),
                    errors,
                    msgs);
        }
    }

    private void checkList(
            String shapeName, JsonNode shape, JsonNode value, String path, List<FieldError> errors, List<String> msgs) {
        if (!value.isArray()) {
            fail(path, value, "Member must be a list", errors, msgs);
            return;
        }
        if (!sizeOk(shape, value.size(), value, path, errors, msgs)) {
            return;
        }
        String memberShape = shape.get("member").get("shape").asText();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isNull()) {
                String at = path + "." + (i + 1);
                errors.add(new FieldError(at, "Member must not be null"));
                msgs.add("Value null at '" + at + "' failed to satisfy constraint: Member must not be null");
            } else {
                check(memberShape, item, path + "." + (i + 1), errors, msgs);
            }
        }
        if (UNIQUE_ITEMS.contains(shapeName)) {
            Set<JsonNode> seen = new HashSet<>();
            for (JsonNode item : value) {
                if (!seen.add(item)) {
                    fail(path, value, "Member must have unique items", errors, msgs);
                    break;
                }
            }
        }
    }

    private void checkMap(JsonNode shape, JsonNode value, String path, List<FieldError> errors, List<String> msgs) {
        if (!value.isObject()) {
            fail(path, value, "Member must be a map", errors, msgs);
            return;
        }
        if (!sizeOk(shape, value.size(), value, path, errors, msgs)) {
            return;
        }
        String keyShape = shape.get("key").get("shape").asText();
        String valueShape = shape.get("value").get("shape").asText();
        Iterator<Map.Entry<String, JsonNode>> it = value.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            check(
                    keyShape,
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()),
                    path + ".key",
                    errors,
                    msgs);
            if (e.getValue().isNull()) {
                String at = path + "." + e.getKey();
                errors.add(new FieldError(at, "Member must not be null"));
                msgs.add("Value null at '" + at + "' failed to satisfy constraint: Member must not be null");
            } else {
                check(valueShape, e.getValue(), path + ".value", errors, msgs);
            }
        }
    }

    private boolean sizeOk(
            JsonNode shape, int size, JsonNode value, String path, List<FieldError> errors, List<String> msgs) {
        if (shape.has("min") && size < shape.get("min").asInt()) {
            fail(
                    path,
                    value,
                    "Member must have length greater than or equal to "
                            + shape.get("min").asInt(),
                    errors,
                    msgs);
            return false;
        }
        if (shape.has("max") && size > shape.get("max").asInt()) {
            fail(
                    path,
                    value,
                    "Member must have length less than or equal to "
                            + shape.get("max").asInt(),
                    errors,
                    msgs);
            return false;
        }
        return true;
    }

    private static void fail(
            String path, JsonNode value, String constraint, List<FieldError> errors, List<String> msgs) {
        errors.add(new FieldError(path, constraint));
        String shown = value.isTextual() ? value.asText() : value.toString();
        if (shown.length() > MAX_SHOWN_VALUE) {
            shown = shown.substring(0, MAX_SHOWN_VALUE) + "...";
        }
        msgs.add("Value '" + shown + "' at '" + path + "' failed to satisfy constraint: " + constraint);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
