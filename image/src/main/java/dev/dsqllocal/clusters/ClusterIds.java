package dev.dsqllocal.clusters;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Cluster and stream identifiers as AWS makes them: lower-case, unpadded RFC 4648 base32 of 128 random bits
 * (26 characters of {@code a-z2-7}; the last one is always one of {@code aeimquy4}).
 */
public final class ClusterIds {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterIds() {}

    public static String newId() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return base32(bits);
    }

    /** Lower-case unpadded base32 (also the form of CDC transaction ids). */
    public static String base32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bitsLeft = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bitsLeft += 8;
            while (bitsLeft >= 5) {
                out.append(ALPHABET[(buffer >> (bitsLeft - 5)) & 31]);
                bitsLeft -= 5;
            }
        }
        if (bitsLeft > 0) {
            out.append(ALPHABET[(buffer << (5 - bitsLeft)) & 31]);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
