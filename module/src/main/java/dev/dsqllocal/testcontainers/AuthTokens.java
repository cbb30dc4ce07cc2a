package dev.dsqllocal.testcontainers;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * Signs Aurora DSQL auth tokens with one set of static credentials, the way an application does with the AWS SDK
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/SECTION_authentication-token.html): a
 * {@code DbConnectAdmin} token for {@code admin}, a {@code DbConnect} token for any other role.
 */
final class AuthTokens {

    /** The longest lifetime DSQL allows for an auth token (604,800 s). */
    static final Duration MAX_LIFETIME = Duration.ofDays(7);

    /** The AWS SDK's default lifetime for a token. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

    private final String region;

    private final String accessKey;

    private final String secretKey;

    private final DsqlUtilities utilities;

    private String longLivedKey;

    private String longLived;

    private Instant longLivedRenewAt = Instant.MIN;

    AuthTokens(String region, String accessKey, String secretKey) {
        this.region = Objects.requireNonNull(region, "region");
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
        this.utilities = DsqlUtilities.builder()
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    /** Whether this signer was made for these settings (the container rebuilds it when they change). */
    boolean isFor(String region, String accessKey, String secretKey) {
        return this.region.equals(region) && this.accessKey.equals(accessKey) && this.secretKey.equals(secretKey);
    }

    String generate(String clusterEndpoint, String role, Duration expiresIn) {
        Objects.requireNonNull(clusterEndpoint, "clusterEndpoint");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(expiresIn, "expiresIn");
        if (expiresIn.isNegative() || expiresIn.isZero() || expiresIn.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("a DSQL auth token lives between 1 s and 7 days, not " + expiresIn);
        }
        if (DsqlContainer.ADMIN_USER.equals(role)) {
            return utilities.generateDbConnectAdminAuthToken(
                    b -> b.hostname(clusterEndpoint).expiresIn(expiresIn));
        }
        return utilities.generateDbConnectAuthToken(
                b -> b.hostname(clusterEndpoint).expiresIn(expiresIn));
    }

    /**
     * A token valid 7 days, the same one until less than a day is left: long enough for any test JVM, so connection
     * pools and frameworks that read the password once keep working.
     */
    synchronized String longLived(String clusterEndpoint, String role) {
        String key = clusterEndpoint + "\n" + role;
        Instant now = Instant.now();
        if (!key.equals(longLivedKey) || now.isAfter(longLivedRenewAt)) {
            longLived = generate(clusterEndpoint, role, MAX_LIFETIME);
            longLivedKey = key;
            longLivedRenewAt = now.plus(MAX_LIFETIME).minus(Duration.ofDays(1));
        }
        return longLived;
    }
}
