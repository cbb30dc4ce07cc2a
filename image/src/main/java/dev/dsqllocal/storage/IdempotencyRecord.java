package dev.dsqllocal.storage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The first successful answer to a request that carried a client token, kept so a retry gets the same answer.
 *
 * @param key account/region/operation/token
 * @param fingerprint the request's input without its token; a retry with other input is a conflict
 * @param response the answer given
 * @param createdAt epoch milliseconds; records expire after a retention period
 */
public record IdempotencyRecord(String key, JsonNode fingerprint, JsonNode response, long createdAt) {}
