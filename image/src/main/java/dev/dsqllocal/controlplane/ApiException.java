package dev.dsqllocal.controlplane;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error answered the way AWS answers it: HTTP status, the error type (sent in {@code X-Amzn-ErrorType} and as
 * {@code __type}) and the modelled body members.
 */
public final class ApiException extends RuntimeException {
    /** One entry of ValidationException.fieldList. */
    public record FieldError(String name, String message) {}

    private final int status;
    private final String type;
    private final Map<String, Object> members;

    public ApiException(int status, String type, String message, Map<String, Object> members) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.members = members;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** Body members besides {@code message}. */
    public Map<String, Object> members() {
        return members;
    }

    public static ApiException validation(String reason, String message, List<FieldError> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", reason);
        if (fields != null && !fields.isEmpty()) {
            m.put("fieldList", fields);
        }
        return new ApiException(400, "ValidationException", message, m);
    }

    /** A single invalid field. */
    public static ApiException invalidField(String field, String message) {
        return validation("fieldValidationFailed", message, List.of(new FieldError(field, message)));
    }

    public static ApiException cannotParse(String message) {
        return validation("cannotParse", message, List.of());
    }

    public static ApiException notFound(String message, String resourceId, String resourceType) {
        return new ApiException(
                404,
                "ResourceNotFoundException",
                message,
                Map.of("resourceId", resourceId, "resourceType", resourceType));
    }

    public static ApiException conflict(String message, String resourceId, String resourceType) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (resourceId != null) {
            m.put("resourceId", resourceId);
        }
        if (resourceType != null) {
            m.put("resourceType", resourceType);
        }
        return new ApiException(409, "ConflictException", message, m);
    }

    public static ApiException quotaExceeded(String message, String resourceId, String resourceType, String quotaCode) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resourceId", resourceId);
        m.put("resourceType", resourceType);
        m.put("serviceCode", "dsql");
        m.put("quotaCode", quotaCode);
        return new ApiException(402, "ServiceQuotaExceededException", message, m);
    }

    public static ApiException accessDenied(String message) {
        return new ApiException(403, "AccessDeniedException", message, Map.of());
    }

    /** Authentication failures (403) with the type AWS's front door uses. */
    public static ApiException authentication(String type, String message) {
        return new ApiException(403, type, message, Map.of());
    }

    public static ApiException unknownOperation() {
        return new ApiException(
                404, "UnknownOperationException", "The requested operation is not supported.", Map.of());
    }

    public static ApiException internal() {
        return new ApiException(
                500, "InternalServerException", "An internal error occurred. Please retry your request.", Map.of());
    }
}
