package dev.dsqllocal.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Checks a DSQL auth token the way the DSQL endpoint does
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/SECTION_authentication-token.html): form (by
 * {@link AuthToken#parse}), age and clock skew, the secret of the access key, and the SigV4 presigned signature, recomputed with the AWS
 * SDK's own signer so canonicalisation matches the SDKs that made the token. The user/action pairing and the
 * cluster checks belong to the caller, which knows the startup user and the cluster.
 *
 * <p>Thread-safe; one instance serves every connection.
 */
public final class AuthTokenVerifier {
    private final CredentialStore credentials;
    private final Clock clock;
    private final Duration clockSkew;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public AuthTokenVerifier(CredentialStore credentials, Clock clock, Duration clockSkew) {
        this.credentials = credentials;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    /**
     * Verifies the token and returns the principal that signed it.
     *
     * @throws AuthTokenException with the reason DSQL gives in its HINT
     */
    public Principal verify(AuthToken token) throws AuthTokenException {
        Instant now = clock.instant();
        if (now.isAfter(token.expiresAt())) {
            // Wording of AWS's Coral front end, which DSQL's "Signature expired: ..." hint comes from.
            throw new AuthTokenException("Signature expired: " + token.amzDate() + " is now earlier than "
                    + AuthToken.formatAmzDate(now.minusSeconds(token.expiresSeconds())));
        }
        if (token.signedAt().isAfter(now.plus(clockSkew))) {
            throw new AuthTokenException("Signature not yet current: " + token.amzDate() + " is still later than "
                    + AuthToken.formatAmzDate(now.plus(clockSkew)));
        }
        Principal principal = credentials
                .resolve(token.accessKeyId())
                .orElseThrow(() -> new AuthTokenException("The security token included in the request is invalid"));
        if (credentials.mode() == AuthMode.RELAXED) {
            return principal;
        }
        String expected = signature(token, principal.secretAccessKey());
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), token.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new AuthTokenException("The request signature we calculated does not match the signature you"
                    + " provided. Check your AWS Secret Access Key and signing method.");
        }
        return principal;
    }

    /** The signature the SDK would have produced for this token's request with this secret. */
    String signature(AuthToken token, String secret) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("https://" + token.host() + "/"))
                .putRawQueryParameter("Action", token.action())
                .build();
        AwsCredentialsIdentity identity = token.securityToken().isPresent()
                ? AwsSessionCredentialsIdentity.create(
                        token.accessKeyId(), secret, token.securityToken().get())
                : AwsCredentialsIdentity.create(token.accessKeyId(), secret);
        SignedRequest signed = signer.sign(r -> r.identity(identity)
                .request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "dsql")
                .putProperty(AwsV4HttpSigner.REGION_NAME, token.region())
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(token.expiresSeconds()))
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(token.signedAt(), java.time.ZoneOffset.UTC)));
        List<String> values = signed.request().rawQueryParameters().get("X-Amz-Signature");
        if (values == null || values.size() != 1) {
            throw new IllegalStateException("the SDK signer produced no X-Amz-Signature");
        }
        return values.get(0);
    }
}
