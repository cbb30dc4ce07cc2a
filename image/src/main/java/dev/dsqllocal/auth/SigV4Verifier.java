package dev.dsqllocal.auth;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * Verifies SigV4-signed control-plane requests the way AWS does: the {@code Authorization} header is parsed, the
 * access key resolved to a {@link Principal}, the request date checked against a 5-minute window, and the
 * signature recomputed with the AWS SDK's own SigV4 signer (so canonicalisation is the SDK's, not ours) and compared
 * in constant time. Failures carry AWS's error type and message.
 */
public final class SigV4Verifier {
    public static final String SERVICE = "dsql";
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,20}");
    private static final Pattern SIGNATURE = Pattern.compile("Signature=([0-9a-f]{64})");
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";

    /** A verified caller: who signed, and for which region. */
    public record Verified(Principal principal, String region) {}

    /** A request as received: method, raw (encoded) path and query, headers by lower-case name, body. */
    public record Request(
            String method,
            String host,
            String rawPath,
            String rawQuery,
            Map<String, List<String>> headers,
            byte[] body) {
        Optional<String> header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }
    }

    /** Why a request was refused: AWS's error type and message (all HTTP 403). */
    public static final class AuthenticationException extends Exception {
        private final String errorType;

        public AuthenticationException(String errorType, String message) {
            super(message, null, false, false);
            this.errorType = errorType;
        }

        public String errorType() {
            return errorType;
        }
    }

    private final CredentialStore credentials;
    private final Clock clock;

    @SuppressWarnings("deprecation")
    private final Aws4Signer signer = Aws4Signer.create();

    public SigV4Verifier(CredentialStore credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Whether every request must carry a valid signature (strict mode). */
    public boolean requiresSignatures() {
        return credentials.mode() == AuthMode.STRICT;
    }

    public Verified verify(Request request) throws AuthenticationException {
        String authorization = request.header("authorization")
                .orElseThrow(() -> new AuthenticationException(
                        "MissingAuthenticationTokenException", "Missing Authentication Token"));
        ParsedAuthorization auth = parse(authorization);
        String[] scope = auth.credential.split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty()) {
            throw new AuthenticationException(
                    "IncompleteSignatureException",
                    "Credential should be scoped to a valid" + " region, service and terminator: '" + auth.credential
                            + "'.");
        }
        String accessKey = scope[0];
        String scopeDate = scope[1];
        String region = scope[2];
        String service = scope[3];
        if (!"aws4_request".equals(scope[4])) {
            throw new AuthenticationException(
                    "InvalidSignatureException",
                    "Credential should be scoped with a valid terminator: 'aws4_request', not '" + scope[4] + "'.");
        }
        if (!SERVICE.equals(service)) {
            throw new AuthenticationException(
                    "InvalidSignatureException", "Credential should be scoped to correct service: '" + SERVICE + "'. ");
        }
        if (!REGION.matcher(region).matches()) {
            throw new AuthenticationException(
                    "InvalidSignatureException", "Credential should be scoped to a valid region. ");
        }
        Principal principal = credentials
                .resolve(accessKey)
                .orElseThrow(() -> new AuthenticationException(
                        "UnrecognizedClientException", "The security token included in the request is invalid."));
        if (credentials.mode() == AuthMode.RELAXED) {
            return new Verified(principal, region);
        }
        String amzDate = request.header("x-amz-date")
                .orElseThrow(() -> new AuthenticationException(
                        "IncompleteSignatureException",
                        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."));
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw new AuthenticationException(
                    "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'.");
        }
        if (!amzDate.startsWith(scopeDate) || scopeDate.length() != 8) {
            throw new AuthenticationException(
                    "InvalidSignatureException",
                    "Date in Credential scope does not match"
                            + " YYYYMMDD from ISO-8601 version of date from HTTP: '" + scopeDate + "' != '"
                            + amzDate.substring(0, Math.min(8, amzDate.length())) + "', from '" + amzDate + "'.");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            throw new AuthenticationException(
                    "InvalidSignatureException",
                    "Signature expired: " + amzDate
                            + " is now earlier than " + AMZ_DATE.format(now.minus(MAX_SKEW)) + " ("
                            + AMZ_DATE.format(now)
                            + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw new AuthenticationException(
                    "InvalidSignatureException",
                    "Signature not yet current: " + amzDate
                            + " is still later than " + AMZ_DATE.format(now.plus(MAX_SKEW)) + " ("
                            + AMZ_DATE.format(now)
                            + " + 5 min.)");
        }
        byte[] expected = recompute(request, auth, principal, region, signedAt);
        if (!MessageDigest.isEqual(expected, auth.signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new AuthenticationException(
                    "InvalidSignatureException",
                    "The request signature we calculated does"
                            + " not match the signature you provided. Check your AWS Secret Access Key and signing method."
                            + " Consult the service documentation for details.");
        }
        return new Verified(principal, region);
    }

    /*
     * The SDK's classic Aws4Signer signs exactly the headers present on the request, which are exactly the ones
     * the client listed in SignedHeaders, so it reproduces any SigV4 client: botocore/CLI sign host;x-amz-date,
     * the Java SDK adds x-amz-content-sha256 and its own headers. The newer AwsV4HttpSigner always adds and signs
     * x-amz-content-sha256, so re-signing with it only ever matches clients built on that same signer.
     */
    @SuppressWarnings("deprecation")
    private byte[] recompute(
            Request request, ParsedAuthorization auth, Principal principal, String region, Instant signedAt)
            throws AuthenticationException {
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method().toUpperCase(Locale.ROOT)))
                .protocol("http")
                .host(hostOnly(request.host()))
                .encodedPath(request.rawPath().isEmpty() ? "/" : request.rawPath());
        int port = portOf(request.host());
        if (port > 0) {
            b.port(port);
        }
        for (Map.Entry<String, List<String>> q :
                queryParameters(request.rawQuery()).entrySet()) {
            b.putRawQueryParameter(q.getKey(), q.getValue());
        }
        for (String name : auth.signedHeaders) {
            List<String> values = request.headers().get(name);
            if (values == null) {
                throw new AuthenticationException(
                        "InvalidSignatureException",
                        "The request signature we calculated"
                                + " does not match the signature you provided. Check your AWS Secret Access Key and signing"
                                + " method. Consult the service documentation for details.");
            }
            b.putHeader(name, values);
        }
        b.contentStreamProvider(() -> new ByteArrayInputStream(request.body()));
        Optional<String> token = request.header("x-amz-security-token");
        AwsCredentials credentials = token.isPresent()
                ? AwsSessionCredentials.create(principal.accessKeyId(), principal.secretAccessKey(), token.get())
                : AwsBasicCredentials.create(principal.accessKeyId(), principal.secretAccessKey());
        Aws4SignerParams params = Aws4SignerParams.builder()
                .awsCredentials(credentials)
                .signingName(SERVICE)
                .signingRegion(Region.of(region))
                .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC))
                .build();
        SdkHttpFullRequest signed = signer.sign(b.build(), params);
        String header = signed.firstMatchingHeader("Authorization").orElse("");
        Matcher m = SIGNATURE.matcher(header);
        return m.find() ? m.group(1).getBytes(StandardCharsets.US_ASCII) : new byte[0];
    }

    private static final class ParsedAuthorization {
        String credential;
        List<String> signedHeaders;
        String signature;
    }

    private static ParsedAuthorization parse(String header) throws AuthenticationException {
        String trimmed = header.trim();
        if (!trimmed.startsWith(ALGORITHM + " ")) {
            throw new AuthenticationException(
                    "IncompleteSignatureException",
                    "Authorization header requires"
                            + " 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization"
                            + " header requires 'SignedHeaders' parameter. Authorization=" + trimmed);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String part : trimmed.substring(ALGORITHM.length()).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                params.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
            if (params.getOrDefault(required, "").isEmpty()) {
                missing.add("Authorization header requires '" + required + "' parameter.");
            }
        }
        if (!missing.isEmpty()) {
            throw new AuthenticationException(
                    "IncompleteSignatureException", String.join(" ", missing) + " Authorization=" + trimmed);
        }
        ParsedAuthorization p = new ParsedAuthorization();
        p.credential = params.get("Credential");
        p.signature = params.get("Signature");
        p.signedHeaders =
                List.of(params.get("SignedHeaders").toLowerCase(Locale.ROOT).split(";"));
        return p;
    }

    /** Decoded query parameters; the signer re-encodes them in canonical form. */
    public static Map<String, List<String>> queryParametersOf(String rawQuery) {
        return queryParameters(rawQuery);
    }

    static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.computeIfAbsent(decode(name), k -> new ArrayList<>()).add(decode(value));
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String hostOnly(String host) {
        if (host == null || host.isEmpty()) {
            return "localhost";
        }
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(0, end + 1) : host;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }

    private static int portOf(String host) {
        if (host == null) {
            return -1;
        }
        int colon = host.lastIndexOf(':');
        int bracket = host.lastIndexOf(']');
        if (colon > bracket && colon > 0) {
            try {
                return Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}
