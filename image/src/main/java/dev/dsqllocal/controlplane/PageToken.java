package dev.dsqllocal.controlplane;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Opaque pagination tokens: the last identifier of the previous page, tagged with what was listed, in base64url.
 * Listing continues after that identifier in identifier order, so deletions between pages do not skip or repeat.
 */
final class PageToken {
    private static final Pattern ID = Pattern.compile("[a-z0-9]{26}");

    private PageToken() {}

    static String encode(String kind, String lastId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("v1|" + kind + "|" + lastId).getBytes(StandardCharsets.UTF_8));
    }

    /** The identifier to continue after; a token that was not made by {@link #encode} is a ValidationException. */
    static String decode(String kind, String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = text.split("\\|", -1);
            if (parts.length == 3
                    && parts[0].equals("v1")
                    && parts[1].equals(kind)
                    && ID.matcher(parts[2]).matches()) {
                return parts[2];
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw ApiException.invalidField("nextToken", "The pagination token is invalid or expired.");
    }
}
