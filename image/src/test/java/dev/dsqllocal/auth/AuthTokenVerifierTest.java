package dev.dsqllocal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

class AuthTokenVerifierTest {
    private static final Instant VECTOR_TIME = Instant.parse("2024-11-07T17:39:33Z");
    private static final String HOST = "test.dsql.us-east-1.on.aws";

    private static AuthTokenVerifier verifier(Instant now, AuthMode mode, Principal... principals) {
        return new AuthTokenVerifier(
                new CredentialStore(List.of(principals), mode),
                Clock.fixed(now, ZoneOffset.UTC),
                Duration.ofMinutes(5));
    }

    private static Principal vectorPrincipal() {
        return new Principal("access_key", "secret_key", "111122223333", "arn:aws:iam::111122223333:root");
    }

    /** The four vectors of the Java SDK's DefaultDsqlUtilitiesTest (DSQL-BEHAVIOUR.md §1.3), in Java's parameter order. */
    @ParameterizedTest
    @CsvSource({
        "DbConnect,900,e319d85380261f643d78a558f76257f05aacea758a6ccd42a2510e2ae0854a47",
        "DbConnectAdmin,900,a08adc4c84a490014ce374b90c98ba9ed015b77b451c0d9f9fb3f8ca8c6f9c36",
        "DbConnect,3600,63987ab6908fe81bfcaa5a5120444a8d012751992bcdfec351522db555232c51",
        "DbConnectAdmin,3600,46e02dfc8d6d07289b9e5910ccd9a50f1c3b798e48ccd92153255df508bd0b82",
    })
    void sdkTestVectorsVerify(String action, int expires, String signature) throws Exception {
        String token = HOST + "/?Action=" + action + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20241107T173933Z"
                + "&X-Amz-SignedHeaders=host&X-Amz-Expires=" + expires
                + "&X-Amz-Credential=access_key%2F20241107%2Fus-east-1%2Fdsql%2Faws4_request"
                + "&X-Amz-Signature=" + signature;
        AuthToken parsed = AuthToken.parse(token);
        assertThat(parsed.isAdmin()).isEqualTo(action.equals("DbConnectAdmin"));
        assertThat(verifier(VECTOR_TIME, AuthMode.STRICT, vectorPrincipal())
                        .verify(parsed)
                        .accountId())
                .isEqualTo("111122223333");

        // One flipped hex digit of the signature is refused.
        String altered = token.substring(0, token.length() - 1) + (token.endsWith("0") ? "1" : "0");
        assertThatThrownBy(() -> verifier(VECTOR_TIME, AuthMode.STRICT, vectorPrincipal())
                        .verify(AuthToken.parse(altered)))
                .isInstanceOf(AuthTokenException.class)
                .hasMessageContaining("signature we calculated does not match");
    }

    @Test
    void botocoreParameterOrderAndSessionTokenVerify() throws Exception {
        Instant now = Instant.now();
        DsqlUtilities utilities = DsqlUtilities.builder()
                .region(Region.US_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create("ASIAEXAMPLE", "s3cret", "FQoGZXIvYXdzE+/abc==")))
                .build();
        String token = utilities.generateDbConnectAuthToken(b -> b.hostname("abc.dsql.us-west-2.on.aws"));
        assertThat(token).contains("X-Amz-Security-Token=");
        // Reorder the query parameters alphabetically, as some SDKs emit them.
        String[] parts = token.split("\\?", 2);
        String[] params = parts[1].split("&");
        java.util.Arrays.sort(params);
        String reordered = parts[0] + "?" + String.join("&", params);
        AuthToken parsed = AuthToken.parse(reordered);
        assertThat(parsed.region()).isEqualTo("us-west-2");
        assertThat(parsed.securityToken()).contains("FQoGZXIvYXdzE+/abc==");
        Principal p = new Principal("ASIAEXAMPLE", "s3cret", "123456789012", "arn:aws:iam::123456789012:root");
        assertThat(verifier(now, AuthMode.STRICT, p).verify(parsed)).isEqualTo(p);
    }

    @Test
    void expiredTokenHasSignatureExpiredHint() throws Exception {
        AuthToken token = AuthToken.parse(realToken(Instant.now(), "test", "test", 900));
        AuthTokenVerifier later = verifier(Instant.now().plusSeconds(901), AuthMode.STRICT, principal("test", "test"));
        assertThatThrownBy(() -> later.verify(token))
                .isInstanceOf(AuthTokenException.class)
                .hasMessageStartingWith("Signature expired: ");
    }

    @Test
    void futureTokenBeyondClockSkewIsRefused() throws Exception {
        AuthToken token = AuthToken.parse(realToken(Instant.now(), "test", "test", 900));
        AuthTokenVerifier early = verifier(Instant.now().minusSeconds(600), AuthMode.STRICT, principal("test", "test"));
        assertThatThrownBy(() -> early.verify(token)).hasMessageStartingWith("Signature not yet current");
        AuthTokenVerifier withinSkew =
                verifier(Instant.now().minusSeconds(200), AuthMode.STRICT, principal("test", "test"));
        assertThat(withinSkew.verify(token).accessKeyId()).isEqualTo("test");
    }

    @Test
    void wrongSecretAndUnknownKeyAreRefusedInStrictModeOnly() throws Exception {
        AuthToken wrongSecret = AuthToken.parse(realToken(Instant.now(), "test", "not-the-secret", 900));
        assertThatThrownBy(() -> verifier(Instant.now(), AuthMode.STRICT, principal("test", "test"))
                        .verify(wrongSecret))
                .hasMessageContaining("signature we calculated does not match");
        AuthToken unknownKey = AuthToken.parse(realToken(Instant.now(), "AKIAUNKNOWN", "x", 900));
        assertThatThrownBy(() -> verifier(Instant.now(), AuthMode.STRICT, principal("test", "test"))
                        .verify(unknownKey))
                .hasMessageContaining("security token included in the request is invalid");

        // Relaxed mode skips the signature (any key acts in the default account) but keeps the time checks.
        AuthTokenVerifier relaxed = verifier(Instant.now(), AuthMode.RELAXED, principal("test", "test"));
        assertThat(relaxed.verify(wrongSecret).accountId()).isEqualTo("000000000000");
        assertThat(relaxed.verify(unknownKey).accountId()).isEqualTo("000000000000");
        AuthTokenVerifier relaxedLater =
                verifier(Instant.now().plusSeconds(1000), AuthMode.RELAXED, principal("test", "test"));
        assertThatThrownBy(() -> relaxedLater.verify(unknownKey)).hasMessageStartingWith("Signature expired");
    }

    @Test
    void malformedTokensAreRefusedWithAReason() throws Exception {
        String good = "h.dsql.us-east-1.on.aws/?Action=DbConnect&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Date=20241107T173933Z&X-Amz-SignedHeaders=host&X-Amz-Expires=900"
                + "&X-Amz-Credential=k%2F20241107%2Fus-east-1%2Fdsql%2Faws4_request&X-Amz-Signature="
                + "e319d85380261f643d78a558f76257f05aacea758a6ccd42a2510e2ae0854a47";
        assertThatThrownBy(() -> AuthToken.parse("secret")).hasMessageContaining("not an IAM authentication token");
        assertThatThrownBy(() -> AuthToken.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> AuthToken.parse(good + "&Action=DbConnect"))
                .hasMessageContaining("repeats the Action");
        assertThatThrownBy(() -> AuthToken.parse(good.replace("&X-Amz-Expires=900", "")))
                .hasMessageContaining("missing the X-Amz-Expires");
        assertThatThrownBy(() -> AuthToken.parse(good.replace("X-Amz-Expires=900", "X-Amz-Expires=604801")))
                .hasMessageContaining("X-Amz-Expires must be less than a week (in seconds)");
        assertThatThrownBy(() -> AuthToken.parse(good.replace("X-Amz-Expires=900", "X-Amz-Expires=0")))
                .hasMessageContaining("X-Amz-Expires must be a positive number of seconds");
        assertThatThrownBy(() -> AuthToken.parse(good.replace("Action=DbConnect", "Action=Connect")))
                .hasMessageContaining("Unsupported action");
        assertThatThrownBy(() -> AuthToken.parse(good.replace("SignedHeaders=host", "SignedHeaders=host%3Bx")))
                .hasMessageContaining("SignedHeaders");
        assertThatThrownBy(() -> AuthToken.parse(good.replace("%2Fdsql%2F", "%2Fs3%2F")))
                .hasMessageContaining("dsql service");
        assertThatThrownBy(() -> AuthToken.parse(good.replace("%2F20241107%2F", "%2F20241108%2F")))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> AuthToken.parse(good + "&Extra=1")).hasMessageContaining("unexpected parameter");
        assertThatThrownBy(() -> AuthToken.parse("bad host" + good.substring(good.indexOf('/'))))
                .hasMessageContaining("not a valid host name");
        assertThat(AuthToken.parse("[::1]:5432" + good.substring(good.indexOf('/')))
                        .host())
                .isEqualTo("[::1]:5432");
    }

    static Principal principal(String key, String secret) {
        return new Principal(key, secret, "000000000000", "arn:aws:iam::000000000000:root");
    }

    static String realToken(Instant at, String key, String secret, int expires) {
        return DsqlUtilities.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .build()
                .generateDbConnectAdminAuthToken(
                        b -> b.hostname("abc.dsql.us-east-1.on.aws").expiresIn(Duration.ofSeconds(expires)));
    }
}
