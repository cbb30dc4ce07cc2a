package dev.dsqllocal.storage;

import dev.dsqllocal.clusters.Cluster;
import java.util.Map;

/**
 * The layout of {@code state.json}: the domain's clusters (each {@link Cluster} written with its record
 * components as JSON fields) and the control plane's idempotency records. Fields unknown to this version are
 * ignored on reading, missing ones take their empty value, so older files stay readable.
 */
record StateDocument(
        int schemaVersion,
        String defaultClusterId,
        boolean initialized,
        Map<String, Cluster> clusters,
        Map<String, IdempotencyRecord> idempotency) {

    static final int SCHEMA_VERSION = 1;

    StateDocument {
        clusters = clusters == null ? Map.of() : clusters;
        idempotency = idempotency == null ? Map.of() : idempotency;
    }
}
