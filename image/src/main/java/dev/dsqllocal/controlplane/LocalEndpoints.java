package dev.dsqllocal.controlplane;

import dev.dsqllocal.clusters.Caller;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The emulator's own endpoints under {@code /dsql-local/}. Read-only ones registered with {@link #register} (health,
 * the gateway's CA certificate) are unauthenticated: Testcontainers' wait strategy and a CA download have no
 * credentials. Handlers registered with {@link #registerHandler} change state (fault injection), so the dispatcher
 * authenticates them like the AWS API and hands them the caller.
 */
public final class LocalEndpoints {
    public static final String PREFIX = "/dsql-local/";

    /** What a local endpoint answers: HTTP status, content type and body. */
    public record Content(int status, String contentType, byte[] body) {
        /** A 200 answer. */
        public Content(String contentType, byte[] body) {
            this(200, contentType, body);
        }
    }

    /**
     * Answers any method on the paths below a prefix (for endpoints that take input, e.g. fault injection). The
     * caller is the verified signer; empty only in relaxed mode for an unsigned request, which may act on any
     * account's resources.
     */
    @FunctionalInterface
    public interface Handler {
        Content handle(String method, String path, byte[] body, Optional<Caller> caller);
    }

    private final Map<String, Supplier<Content>> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();

    /** Registers a handler for every path starting with {@code prefix} (under {@code /dsql-local/}). */
    public void registerHandler(String prefix, Handler handler) {
        if (!prefix.startsWith(PREFIX)) {
            throw new IllegalArgumentException("local endpoints live under " + PREFIX + ": " + prefix);
        }
        handlers.put(prefix, handler);
    }

    /** The handler whose prefix starts {@code path}, if any. */
    public Optional<Handler> findHandler(String path) {
        return handlers.entrySet().stream()
                .filter(e -> path.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** Registers (or replaces) the endpoint at {@code path}, which must start with {@code /dsql-local/}. */
    public void register(String path, Supplier<Content> content) {
        if (!path.startsWith(PREFIX)) {
            throw new IllegalArgumentException("local endpoints live under " + PREFIX + ": " + path);
        }
        endpoints.put(path, content);
    }

    public Optional<Supplier<Content>> find(String path) {
        return Optional.ofNullable(endpoints.get(path));
    }
}
