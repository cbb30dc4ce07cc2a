package dev.dsqllocal.storage;

import com.fasterxml.jackson.databind.JsonNode;

/** The first successful answer to a request that carried a client token, kept so a retry gets the same answer. */
public final class IdempotencyRecord {
    /** account/region/operation/token. */
    public String key;
    /** The request's input without its token; a retry with other input is a conflict. */
    public JsonNode fingerprint;
    public JsonNode response;
    public long createdAt;
}
