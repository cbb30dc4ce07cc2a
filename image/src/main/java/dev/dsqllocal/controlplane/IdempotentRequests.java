package dev.dsqllocal.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dsqllocal.clusters.Caller;
import dev.dsqllocal.storage.IdempotencyRecord;
import dev.dsqllocal.storage.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code clientToken} handling of the mutating operations: a retry with the same token and the same input gets
 * the first answer without doing anything again; the same token with different input is a ConflictException.
 * Answers are kept 24 hours, in the state file (written together with the request's change) so a retry after a
 * restart is recognised too.
 */
final class IdempotentRequests {
    private static final Duration RETENTION = Duration.ofHours(24);

    private final StateStore store;
    private final Clock clock;
    private final Map<String, IdempotencyRecord> records;

    IdempotentRequests(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.records = new LinkedHashMap<>(store.idempotency());
    }

    /**
     * Runs {@code action} once per token. Calls with a token are serialised, so two concurrent retries of one
     * request cannot both run it.
     */
    ObjectNode run(
            Caller caller,
            String operation,
            Optional<String> token,
            JsonNode fingerprint,
            Supplier<ObjectNode> action) {
        if (token.isEmpty()) {
            return action.get();
        }
        synchronized (this) {
            String key = caller.accountId() + "/" + caller.region() + "/" + operation + "/" + token.get();
            IdempotencyRecord previous = records.get(key);
            if (previous != null) {
                if (previous.fingerprint().equals(fingerprint)) {
                    return (ObjectNode) previous.response().deepCopy();
                }
                throw ApiException.conflict(
                        "The client token " + token.get() + " was already used for a different request.", null, null);
            }
            return store.inOneWrite(() -> {
                ObjectNode response = action.get();
                long now = clock.millis();
                records.values().removeIf(r -> r.createdAt() < now - RETENTION.toMillis());
                records.put(key, new IdempotencyRecord(key, fingerprint.deepCopy(), response.deepCopy(), now));
                store.saveIdempotency(records);
                return response;
            });
        }
    }
}
