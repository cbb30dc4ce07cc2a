package dev.dsqllocal.testcontainers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dsql.DsqlClient;
import software.amazon.awssdk.services.dsql.model.CreateClusterResponse;
import software.amazon.awssdk.services.dsql.model.DeleteClusterResponse;
import software.amazon.awssdk.services.dsql.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dsql.waiters.DsqlWaiter;

/**
 * A cluster of its own in a running {@link DsqlContainer}: an empty, isolated PostgreSQL database behind the same
 * SQL endpoint, made with the control plane's CreateCluster (deletion protection off) and removed by
 * {@link #close()} with DeleteCluster. Cheaper than emptying tables on DSQL, which has no TRUNCATE and modifies at
 * most 3,000 rows per transaction.
 *
 * <pre>{@code
 * try (DsqlCluster cluster = dsql.createCluster();
 *      Connection c = cluster.createConnection()) {
 *     c.createStatement().execute("CREATE TABLE t (id int PRIMARY KEY)");
 * }
 * }</pre>
 *
 * <p>Connections go to the container's SQL endpoint ({@link #getJdbcUrl()}); the token, signed for
 * {@link #getEndpoint()}, is what selects this cluster.
 */
public final class DsqlCluster implements AutoCloseable {

    /**
     * The emulator makes a cluster ACTIVE within tens of milliseconds; the SDK's own waiter polls every few seconds
     * because real clusters take longer, so this one polls often and gives up after a minute.
     */
    private static final WaiterOverrideConfiguration FAST_POLLING = WaiterOverrideConfiguration.builder()
            .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(10)))
            .maxAttempts(6_000)
            .waitTimeout(Duration.ofMinutes(1))
            .build();

    private final DsqlContainer container;

    private final String region;

    private final String identifier;

    private final String arn;

    private AuthTokens regionalTokens;

    private boolean deleted;

    private DsqlCluster(DsqlContainer container, String region, String identifier, String arn) {
        this.container = container;
        this.region = region;
        this.identifier = identifier;
        this.arn = arn;
    }

    /** Creates a cluster in {@code container} and waits until it is ACTIVE. */
    static DsqlCluster create(DsqlContainer container) {
        requireStarted(container);
        DsqlClient client = container.controlPlane();
        CreateClusterResponse created = client.createCluster(b -> b.deletionProtectionEnabled(false));
        try (DsqlWaiter waiter = waiter(client)) {
            waiter.waitUntilClusterActive(b -> b.identifier(created.identifier()));
        }
        return new DsqlCluster(container, container.getRegion(), created.identifier(), created.arn());
    }

    /**
     * Creates two peered multi-Region clusters as AWS documents it
     * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/multi-region-aws-cli.html) and waits until both
     * are ACTIVE: the first, in the container's Region, with {@code witnessRegion} (PENDING_SETUP); the second, in
     * {@code peerRegion}, naming the first; then the first updated naming the second.
     */
    static List<DsqlCluster> createPeered(DsqlContainer container, String peerRegion, String witnessRegion) {
        requireStarted(container);
        String region = container.getRegion();
        String peer =
                Region.of(Objects.requireNonNull(peerRegion, "peerRegion")).id();
        String witness = Region.of(Objects.requireNonNull(witnessRegion, "witnessRegion"))
                .id();
        if (peer.equals(region) || witness.equals(region) || witness.equals(peer)) {
            throw new IllegalArgumentException("the container's Region (" + region + "), the peer Region (" + peer
                    + ") and the witness Region (" + witness + ") must be three different Regions");
        }
        DsqlClient one = container.controlPlane(region);
        DsqlClient two = container.controlPlane(peer);
        CreateClusterResponse first = one.createCluster(
                b -> b.deletionProtectionEnabled(false).multiRegionProperties(m -> m.witnessRegion(witness)));
        CreateClusterResponse second = two.createCluster(b -> b.deletionProtectionEnabled(false)
                .multiRegionProperties(m -> m.witnessRegion(witness).clusters(first.arn())));
        one.updateCluster(b -> b.identifier(first.identifier())
                .multiRegionProperties(m -> m.witnessRegion(witness).clusters(second.arn())));
        try (DsqlWaiter waitOne = waiter(one);
                DsqlWaiter waitTwo = waiter(two)) {
            waitOne.waitUntilClusterActive(b -> b.identifier(first.identifier()));
            waitTwo.waitUntilClusterActive(b -> b.identifier(second.identifier()));
        }
        return List.of(
                new DsqlCluster(container, region, first.identifier(), first.arn()),
                new DsqlCluster(container, peer, second.identifier(), second.arn()));
    }

    private static void requireStarted(DsqlContainer container) {
        if (container.getContainerId() == null) {
            throw new IllegalStateException(
                    "createCluster() needs a started DsqlContainer: call start() first, or let @Container or"
                            + " DsqlClusterExtension start it");
        }
    }

    /**
     * The cluster's Region (the container's, or the peer Region of
     * {@link DsqlContainer#createMultiRegionClusters}).
     *
     * @return e.g. {@code us-east-1}
     */
    public String getRegion() {
        return region;
    }

    /**
     * The cluster identifier.
     *
     * @return 26 characters of {@code [a-z0-9]}
     */
    public String getIdentifier() {
        return identifier;
    }

    /**
     * The cluster ARN.
     *
     * @return {@code arn:aws:dsql:<region>:<account>:cluster/<id>}
     */
    public String getArn() {
        return arn;
    }

    /**
     * The cluster's endpoint host name, which auth tokens are signed for.
     *
     * @return {@code <id>.dsql.<region>.on.aws}
     */
    public String getEndpoint() {
        return identifier + ".dsql." + region + ".on.aws";
    }

    /**
     * The pgJDBC URL of the container's SQL endpoint (the same for every cluster: the token selects the cluster).
     *
     * @return {@link DsqlContainer#getJdbcUrl()}
     */
    public String getJdbcUrl() {
        return container.getJdbcUrl();
    }

    /**
     * A {@code DbConnectAdmin} token for this cluster, valid 15 minutes.
     *
     * @return the token, to be sent as the password
     */
    public String generateAuthToken() {
        return generateAuthToken(DsqlContainer.ADMIN_USER);
    }

    /**
     * A token for {@code role} on this cluster, valid 15 minutes.
     *
     * @param role {@code admin} (a {@code DbConnectAdmin} token) or a custom role (a {@code DbConnect} token)
     * @return the token, to be sent as the password
     */
    public String generateAuthToken(String role) {
        return generateAuthToken(role, AuthTokens.DEFAULT_LIFETIME);
    }

    /**
     * A token for {@code role} on this cluster.
     *
     * @param role {@code admin} or a custom role
     * @param expiresIn between 1 s and 7 days
     * @return the token, to be sent as the password
     */
    public String generateAuthToken(String role, Duration expiresIn) {
        if (region.equals(container.getRegion())) {
            return container.generateAuthToken(getEndpoint(), role, expiresIn);
        }
        return regionalTokens().generate(getEndpoint(), role, expiresIn);
    }

    /** A peer in another Region signs its tokens for that Region, as the SDK does with a client of that Region. */
    private synchronized AuthTokens regionalTokens() {
        if (regionalTokens == null
                || !regionalTokens.isFor(region, container.getAccessKey(), container.getSecretKey())) {
            regionalTokens = new AuthTokens(region, container.getAccessKey(), container.getSecretKey());
        }
        return regionalTokens;
    }

    /**
     * A new pgJDBC connection to this cluster as {@code admin}, with a fresh token.
     *
     * @return an open connection; the caller closes it
     * @throws SQLException when the endpoint refuses it
     */
    public Connection createConnection() throws SQLException {
        return createConnection(DsqlContainer.ADMIN_USER);
    }

    /**
     * A new pgJDBC connection to this cluster as {@code role}, with a fresh token.
     *
     * @param role {@code admin} or a role created with {@code CREATE ROLE ... WITH LOGIN} and mapped with
     *     {@code AWS IAM GRANT}
     * @return an open connection; the caller closes it
     * @throws SQLException when the endpoint refuses it
     */
    public Connection createConnection(String role) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", Objects.requireNonNull(role, "role"));
        properties.setProperty("password", generateAuthToken(role));
        return DriverManager.getConnection(getJdbcUrl(), properties);
    }

    /**
     * Deletes the cluster (DeleteCluster) and waits until it is gone. Calling it again does nothing, and a cluster
     * already deleted some other way counts as deleted. A peered cluster whose peer still exists is left
     * PENDING_DELETE (AWS keeps it so until the peer is deleted too), without waiting: closing the peer deletes both.
     */
    @Override
    public synchronized void close() {
        if (deleted) {
            return;
        }
        DsqlClient client = container.controlPlane(region);
        try {
            DeleteClusterResponse response = client.deleteCluster(b -> b.identifier(identifier));
            if ("PENDING_DELETE".equals(response.statusAsString())) {
                // By name: PENDING_DELETE is missing from the ClusterStatus enum of SDK versions a user may still have.
                deleted = true;
                return;
            }
            try (DsqlWaiter waiter = waiter(client)) {
                waiter.waitUntilClusterNotExists(b -> b.identifier(identifier));
            }
        } catch (ResourceNotFoundException alreadyGone) {
            // Deleted by the test itself: nothing left to do.
        }
        deleted = true;
    }

    @Override
    public String toString() {
        return "DsqlCluster[" + identifier + "]";
    }

    private static DsqlWaiter waiter(DsqlClient client) {
        return DsqlWaiter.builder()
                .client(client)
                .overrideConfiguration(FAST_POLLING)
                .build();
    }
}
