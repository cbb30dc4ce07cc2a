package dev.dsqllocal.gateway;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The BackendKeyData the gateway gives its clients, mapped to the backend's own key: a cancel request names the
 * gateway's key and is forwarded to the right PostgreSQL server with the backend's key. Clients never learn
 * backend process ids, and a key of one cluster cannot cancel work on another.
 */
final class CancelKeys {
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<Integer, Target> byProcessId = new ConcurrentHashMap<>();

    /** Where a cancel request for a session goes. */
    record Target(int secret, DatabaseEndpoint backend, int backendProcessId, int backendSecret) {}

    /** Registers a session's backend key; returns the gateway process id (the secret is in the target). */
    int register(DatabaseEndpoint backend, int backendProcessId, int backendSecret, int[] secretOut) {
        int secret = random.nextInt();
        Target target = new Target(secret, backend, backendProcessId, backendSecret);
        while (true) {
            int processId = 1 + random.nextInt(Integer.MAX_VALUE - 1);
            if (byProcessId.putIfAbsent(processId, target) == null) {
                secretOut[0] = secret;
                return processId;
            }
        }
    }

    void unregister(int processId) {
        byProcessId.remove(processId);
    }

    Optional<Target> find(int processId, int secret) {
        Target target = byProcessId.get(processId);
        return target != null && target.secret() == secret ? Optional.of(target) : Optional.empty();
    }
}
