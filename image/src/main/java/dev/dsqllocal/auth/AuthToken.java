package dev.dsqllocal.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed DSQL auth token: a SigV4 presigned {@code GET https://<host>/?Action=...} URL with the scheme removed
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/SECTION_authentication-token.html). Parsing checks
 * the form only; {@link AuthTokenVerifier} checks time and signature. The query parameters may come in any order, as the SDKs differ.
 */
public record AuthToken(
        String host,
        String action,
        String accessKeyId,
        LocalDate scopeDate,
        String region,
        Instant signedAt,
        long expiresSeconds,
        Optional<String> securityToken,
        String signature) {

    public static final String DB_CONNECT = "DbConnect";
    public static final String DB_CONNECT_ADMIN = "DbConnectAdmin";
    /** SigV4 presigning refuses anything longer than 7 days. */
    public static final long MAX_EXPIRES_SECONDS = 604_800;

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SCOPE_DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Set<String> REQUIRED = Set.of(
            "Action",
            "X-Amz-Algorithm",
            "X-Amz-Credential",
            "X-Amz-Date",
            "X-Amz-Expires",
            "X-Amz-SignedHeaders",
            "X-Amz-Signature");
    /**
     * A DNS name or IPv4 address with an optional port, or a bracketed IPv6 address. No nested quantifiers: the
     * input is attacker-controlled, so matching must stay linear.
     */
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\\[[0-9a-f:.]{2,45}\\])(?::[0-9]{1,5})?");

    private static final Set<String> OPTIONAL = Set.of("X-Amz-Security-Token");

    /** Whether this token asks for the {@code admin} role ({@code DbConnectAdmin}). */
    public boolean isAdmin() {
        return DB_CONNECT_ADMIN.equals(action);
    }

    public Instant expiresAt() {
        return signedAt.plusSeconds(expiresSeconds);
    }

    /** The {@code X-Amz-Date} value as it appeared in the token. */
    public String amzDate() {
        return AMZ_DATE.format(signedAt);
    }

    /** An instant in the {@code X-Amz-Date} form, {@code yyyyMMddTHHmmssZ}. */
    public static String formatAmzDate(Instant instant) {
        return AMZ_DATE.format(instant);
    }

    /**
     * Parses the password a client sent. Every failure is an {@link AuthTokenException} whose hint says what is
     * wrong with the token (never echoing the secret parts).
     */
    public static AuthToken parse(String password) throws AuthTokenException {
        if (password == null || password.isEmpty()) {
            throw new AuthTokenException("The password is empty; expected an IAM authentication token");
        }
        String token = password;
        // The SDKs strip the scheme; tolerate a token pasted with it.
        if (token.regionMatches(true, 0, "https://", 0, 8)) {
            token = token.substring(8);
        }
        int slash = token.indexOf('/');
        if (slash <= 0 || !token.startsWith("/?", slash)) {
            throw new AuthTokenException("The password is not an IAM authentication token"
                    + " (expected <host>/?Action=...&X-Amz-Signature=...)");
        }
        String host = token.substring(0, slash).toLowerCase(Locale.ROOT);
        if (!HOST.matcher(host).matches()) {
            throw new AuthTokenException("The authentication token's host is not a valid host name");
        }
        Map<String, String> params = parseQuery(token.substring(slash + 2));

        for (String key : REQUIRED) {
            if (!params.containsKey(key)) {
                throw new AuthTokenException("The authentication token is missing the " + key + " parameter");
            }
        }
        for (String key : params.keySet()) {
            if (!REQUIRED.contains(key) && !OPTIONAL.contains(key)) {
                throw new AuthTokenException("The authentication token has an unexpected parameter: " + key);
            }
        }
        String action = params.get("Action");
        if (!DB_CONNECT.equals(action) && !DB_CONNECT_ADMIN.equals(action)) {
            throw new AuthTokenException("Unsupported action in authentication token: " + action
                    + " (expected DbConnect or DbConnectAdmin)");
        }
        if (!ALGORITHM.equals(params.get("X-Amz-Algorithm"))) {
            throw new AuthTokenException("Unsupported signing algorithm: " + params.get("X-Amz-Algorithm"));
        }
        if (!"host".equals(params.get("X-Amz-SignedHeaders"))) {
            throw new AuthTokenException("X-Amz-SignedHeaders must be host");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(params.get("X-Amz-Date")));
        } catch (DateTimeParseException e) {
            throw new AuthTokenException("X-Amz-Date is not a date of the form yyyyMMddTHHmmssZ");
        }
        long expires;
        try {
            expires = Long.parseLong(params.get("X-Amz-Expires"));
        } catch (NumberFormatException e) {
            throw new AuthTokenException("X-Amz-Expires must be a number of seconds");
        }
        // Real DSQL refuses a longer lifetime with AWS's presigned-URL text (DSQL-BEHAVIOUR.md §1.6); clients match it.
        if (expires > MAX_EXPIRES_SECONDS) {
            throw new AuthTokenException("X-Amz-Expires must be less than a week (in seconds); that is, the given"
                    + " X-Amz-Expires must be less than " + MAX_EXPIRES_SECONDS + " seconds");
        }
        if (expires < 1) {
            throw new AuthTokenException("X-Amz-Expires must be a positive number of seconds");
        }
        String[] scope = params.get("X-Amz-Credential").split("/", -1);
        if (scope.length != 5
                || scope[0].isEmpty()
                || !"dsql".equals(scope[3])
                || !"aws4_request".equals(scope[4])
                || scope[2].isEmpty()) {
            throw new AuthTokenException("Credential should be scoped to a valid region and to the dsql service:"
                    + " <access key>/<yyyymmdd>/<region>/dsql/aws4_request");
        }
        LocalDate scopeDate;
        try {
            scopeDate = LocalDate.parse(scope[1], SCOPE_DATE);
        } catch (DateTimeParseException e) {
            throw new AuthTokenException("The credential scope date is not a date of the form yyyyMMdd");
        }
        if (!scopeDate.equals(LocalDate.ofInstant(signedAt, ZoneOffset.UTC))) {
            throw new AuthTokenException("Date in Credential scope does not match YYYYMMDD from X-Amz-Date");
        }
        String signature = params.get("X-Amz-Signature");
        if (!signature.matches("[0-9a-f]{64}")) {
            throw new AuthTokenException("X-Amz-Signature must be 64 lowercase hex digits");
        }
        return new AuthToken(
                host,
                action,
                scope[0],
                scopeDate,
                scope[2],
                signedAt,
                expires,
                Optional.ofNullable(params.get("X-Amz-Security-Token")),
                signature);
    }

    private static Map<String, String> parseQuery(String query) throws AuthTokenException {
        Map<String, String> params = new HashMap<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new AuthTokenException("The authentication token has a malformed query parameter");
            }
            String key;
            String value;
            try {
                key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new AuthTokenException("The authentication token has a malformed percent-encoding");
            }
            if (params.putIfAbsent(key, value) != null) {
                throw new AuthTokenException("The authentication token repeats the " + key + " parameter");
            }
        }
        return params;
    }
}
