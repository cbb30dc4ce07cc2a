package dev.dsqllocal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signatures made by clients other than the Java SDK. The vector below is a real request of the AWS CLI
 * (botocore 1.43.11, {@code aws dsql list-clusters --endpoint-url http://localhost:14566}, keys test/test),
 * which signs only {@code host;x-amz-date} — no {@code x-amz-content-sha256}.
 */
class SigV4VerifierTest {
    private static final String BOTOCORE_SIGNATURE = "ad58178fb6bd0be742794eb8d1c8628a31d92bf4585b56757dee452964729d14";
    private final CredentialStore credentials = new CredentialStore(
            List.of(new Principal("test", "test", "000000000000", "arn:aws:iam::000000000000:root")), AuthMode.STRICT);
    private final SigV4Verifier verifier =
            new SigV4Verifier(credentials, Clock.fixed(Instant.parse("2026-11-21T00:04:31Z"), ZoneOffset.UTC));

    private static SigV4Verifier.Request botocoreListClusters(String signature) {
        return new SigV4Verifier.Request(
                "GET",
                "localhost:14566",
                "/cluster",
                "",
                Map.of(
                        "host", List.of("localhost:14566"),
                        "x-amz-date", List.of("20261121T000430Z"),
                        "user-agent", List.of("aws-cli/1.45.11 botocore/1.43.11"),
                        "amz-sdk-request", List.of("attempt=1"),
                        "authorization",
                                List.of("AWS4-HMAC-SHA256 Credential=test/20261121/us-east-1/dsql/aws4_request,"
                                        + " SignedHeaders=host;x-amz-date, Signature=" + signature)),
                new byte[0]);
    }

    @Test
    void acceptsTheAwsCliSignature() throws Exception {
        SigV4Verifier.Verified verified = verifier.verify(botocoreListClusters(BOTOCORE_SIGNATURE));

        assertThat(verified.region()).isEqualTo("us-east-1");
        assertThat(verified.principal().accountId()).isEqualTo("000000000000");
    }

    @Test
    void refusesTheSameRequestWithOneSignatureDigitChanged() {
        String altered = "b" + BOTOCORE_SIGNATURE.substring(1);

        assertThatThrownBy(() -> verifier.verify(botocoreListClusters(altered)))
                .isInstanceOfSatisfying(
                        SigV4Verifier.AuthenticationException.class,
                        e -> assertThat(e.errorType()).isEqualTo("InvalidSignatureException"));
    }
}
