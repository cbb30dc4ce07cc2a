package dev.dsqllocal.controlplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dsqllocal.auth.SigV4Verifier;
import dev.dsqllocal.clusters.Caller;
import dev.dsqllocal.contract.ServerContract;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane request from raw HTTP parts to an HTTP answer: local endpoints, SigV4, routing, binding,
 * model validation, the operation, and AWS-style errors. Independent of Netty so it can be tested directly.
 */
public final class ApiDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);

    /** An HTTP answer. */
    public record Response(int status, Map<String, String> headers, byte[] body) {}

    private final SigV4Verifier verifier;
    private final ApiRouter router;
    private final RequestBinder binder;
    private final InputValidator validator;
    private final ControlPlaneOperations operations;
    private final LocalEndpoints localEndpoints;
    private final ObjectMapper json;

    public ApiDispatcher(
            ServiceModel model,
            SigV4Verifier verifier,
            ControlPlaneOperations operations,
            LocalEndpoints localEndpoints,
            ObjectMapper json) {
        this.verifier = verifier;
        this.router = new ApiRouter(model);
        this.binder = new RequestBinder(model, json);
        this.validator = new InputValidator(model);
        this.operations = operations;
        this.localEndpoints = localEndpoints;
        this.json = json;
    }

    /** Registers {@code GET /dsql-local/health}: {@code {"status":"ready"}} once {@code ready} says so. */
    public static void registerHealth(LocalEndpoints endpoints, BooleanSupplier ready) {
        endpoints.register(
                ServerContract.HEALTH_PATH,
                () -> ready.getAsBoolean()
                        ? new LocalEndpoints.Content(
                                200, "application/json", "{\"status\":\"ready\"}".getBytes(StandardCharsets.UTF_8))
                        : new LocalEndpoints.Content(
                                503, "application/json", "{\"status\":\"starting\"}".getBytes(StandardCharsets.UTF_8)));
    }

    public Response handle(String method, String uri, Map<String, List<String>> headers, byte[] body) {
        String requestId = UUID.randomUUID().toString();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        String rawQuery = q < 0 ? "" : uri.substring(q + 1);
        try {
            if (!isWellFormedTarget(uri)) {
                throw new ApiException(
                        400,
                        "BadRequestException",
                        "The request path or query is not a valid percent-encoded URI.",
                        Map.of());
            }
            if (rawPath.startsWith(LocalEndpoints.PREFIX)) {
                return local(method, rawPath, rawQuery, headers, body, requestId);
            }
            SigV4Verifier.Verified who = verify(method, rawPath, rawQuery, headers, body);
            ApiRouter.Match match = router.match(method, rawPath).orElseThrow(ApiException::unknownOperation);
            ObjectNode input = binder.bind(match, SigV4Verifier.queryParametersOf(rawQuery), body);
            if (match.operation().inputShape() != null) {
                validator.validate(match.operation().inputShape(), input);
            }
            Caller caller = new Caller(
                    who.principal().accountId(), who.region(), who.principal().principalArn());
            ObjectNode output = operations.execute(match.operation().name(), caller, input);
            LOG.debug("{} {} -> 200 ({})", match.operation().name(), caller.region(), requestId);
            return jsonResponse(200, output, requestId, Map.of());
        } catch (ApiException e) {
            LOG.debug("{} {} -> {} {}: {}", method, rawPath, e.status(), e.type(), e.getMessage());
            return error(e, requestId);
        } catch (RuntimeException e) {
            LOG.error("Internal error on {} {} (request {})", method, rawPath, requestId, e);
            return error(ApiException.internal(), requestId);
        }
    }

    private SigV4Verifier.Verified verify(
            String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        String host = first(headers, "host").orElse("localhost");
        try {
            return verifier.verify(new SigV4Verifier.Request(method, host, rawPath, rawQuery, headers, body));
        } catch (SigV4Verifier.AuthenticationException e) {
            throw ApiException.authentication(e.errorType(), e.getMessage());
        }
    }

    private Response local(
            String method,
            String rawPath,
            String rawQuery,
            Map<String, List<String>> headers,
            byte[] body,
            String requestId) {
        Optional<Supplier<LocalEndpoints.Content>> endpoint = localEndpoints.find(rawPath);
        LocalEndpoints.Content content;
        if (endpoint.isPresent() && (method.equals("GET") || method.equals("HEAD"))) {
            content = endpoint.get().get();
        } else {
            Optional<LocalEndpoints.Handler> handler = localEndpoints.findHandler(rawPath);
            if (handler.isEmpty()) {
                return error(ApiException.unknownOperation(), requestId);
            }
            byte[] input = body == null ? new byte[0] : body;
            // Strict mode: signed like any AWS call, and scoped to the signer's account. Relaxed mode keeps the
            // endpoints open to unsigned calls (documented), but a signed call is still verified and scoped.
            Optional<Caller> caller = Optional.empty();
            if (verifier.requiresSignatures() || first(headers, "authorization").isPresent()) {
                SigV4Verifier.Verified who = verify(method, rawPath, rawQuery, headers, input);
                caller = Optional.of(new Caller(
                        who.principal().accountId(),
                        who.region(),
                        who.principal().principalArn()));
            }
            content = handler.get().handle(method, rawPath, input, caller);
        }
        Map<String, String> answerHeaders = new LinkedHashMap<>();
        answerHeaders.put("Content-Type", content.contentType());
        answerHeaders.put("X-Amzn-RequestId", requestId);
        return new Response(content.status(), answerHeaders, method.equals("HEAD") ? new byte[0] : content.body());
    }

    /** The AWS-style answer for a request refused before it reached the dispatcher (bad HTTP, timeouts, limits). */
    public Response refusal(ApiException e) {
        return error(e, UUID.randomUUID().toString());
    }

    /**
     * Whether a request target is visible ASCII with only complete percent-escapes: the signer and the router
     * decode it, and a stray {@code %} or a control character must be the client's 400, not our 500.
     */
    static boolean isWellFormedTarget(String uri) {
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
            if (c == '%') {
                if (i + 2 >= uri.length() || !isHex(uri.charAt(i + 1)) || !isHex(uri.charAt(i + 2))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private Response error(ApiException e, String requestId) {
        ObjectNode body = json.createObjectNode();
        body.put("__type", e.type());
        body.put("message", e.getMessage());
        for (Map.Entry<String, Object> m : e.members().entrySet()) {
            body.set(m.getKey(), json.valueToTree(m.getValue()));
        }
        return jsonResponse(e.status(), body, requestId, Map.of("X-Amzn-ErrorType", e.type()));
    }

    private Response jsonResponse(int status, ObjectNode body, String requestId, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Amzn-RequestId", requestId);
        headers.putAll(extra);
        try {
            return new Response(status, headers, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.getOrDefault(name, new ArrayList<>());
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
}
