package dev.dsqllocal.storage;

import java.util.LinkedHashMap;
import java.util.Map;

/** The whole persisted control-plane state: one JSON document. */
public final class ServiceState {
    public int schemaVersion = 1;
    /** The first cluster created at first start; the SQL gateway's target for host-less tokens. */
    public String defaultClusterId;
    /** Whether the startup clusters have been created (they are created once, on first start). */
    public boolean initialized;
    public Map<String, ClusterRecord> clusters = new LinkedHashMap<>();
    public Map<String, IdempotencyRecord> idempotency = new LinkedHashMap<>();
}
