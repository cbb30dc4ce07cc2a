package dev.dsqllocal.testcontainers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Cluster identifiers as Aurora DSQL makes them: 26 characters of {@code [a-z0-9]}. */
final class ClusterIdentifiers {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterIdentifiers() {}

    static String random() {
        byte[] bytes = new byte[26];
        RANDOM.nextBytes(bytes);
        return from(bytes);
    }

    /** The same identifier for the same settings, so that a reused container's configuration hash is stable. */
    static String derivedFrom(String... settings) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", settings).getBytes(StandardCharsets.UTF_8));
            return from(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String from(byte[] bytes) {
        StringBuilder id = new StringBuilder(26);
        for (int i = 0; i < 26; i++) {
            id.append(ALPHABET.charAt((bytes[i] & 0xff) % ALPHABET.length()));
        }
        return id.toString();
    }
}
