package dev.dsqllocal.testcontainers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlClient;

/**
 * Testcontainers implementation of DSQL Local: a local Amazon Aurora DSQL with its control-plane API, an IAM-token
 * checking SQL endpoint (PostgreSQL protocol over TLS) and real PostgreSQL 16 behind it.
 *
 * <p>Supported image: {@code dsqllocal/dsql-local} (the tag defaults to this module's version; other names must be
 * declared with {@link DockerImageName#asCompatibleSubstituteFor(String)}). When Docker has neither the image nor a
 * registry that serves it, the default image is built once from the Docker context this module's dependencies
 * carry (see {@code DsqlImage}).
 *
 * <p>Exposed ports:
 * <ul>
 *   <li>Control plane (restJson1, SigV4): 4566, see {@link #getEndpoint()}</li>
 *   <li>SQL endpoint (TLS, auth tokens): 5432, see {@link #getJdbcUrl()} and {@link #getSqlPort()}</li>
 * </ul>
 *
 * <p>The container starts with one cluster, {@link #getClusterIdentifier()}; {@link #createCluster()} makes more.
 * {@link #getPassword()} is an admin token valid for 7 days (DSQL's longest), so Testcontainers' JDBC support,
 * {@code withInitScript} and Spring Boot's {@code @ServiceConnection} work as with any JDBC container. The settings
 * live in the container's environment, where the emulator reads them.
 */
public class DsqlContainer extends JdbcDatabaseContainer<DsqlContainer> {

    /** The database type in {@code jdbc:tc:dsql:...} URLs. */
    public static final String NAME = "dsql";

    /** The published image's name: a Docker Hub name, so TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX mirrors it. */
    public static final DockerImageName DEFAULT_IMAGE_NAME = DockerImageName.parse("dsqllocal/dsql-local");

    /** The name the image had when it was only ever built from the sources; still accepted. */
    private static final DockerImageName LOCAL_IMAGE_NAME = DockerImageName.parse("dsql-local");

    /** The image tag built together with this module. */
    public static final String DEFAULT_TAG = ModuleVersion.get();

    /** Container port of the control-plane API. */
    public static final int API_PORT = 4566;

    /** Container port of the SQL endpoint. */
    public static final int SQL_PORT = 5432;

    /** Aurora DSQL has exactly one database per cluster. */
    public static final String DATABASE_NAME = "postgres";

    /** The role that logs in with a {@code DbConnectAdmin} token. */
    public static final String ADMIN_USER = "admin";

    /** The longest lifetime DSQL allows for an auth token (604,800 s). */
    public static final Duration MAX_TOKEN_LIFETIME = AuthTokens.MAX_LIFETIME;

    static final String READY_LOG_LINE = ServerContract.READY_LOG_LINE;

    static final String HEALTH_PATH = ServerContract.HEALTH_PATH;

    static final String CA_PATH = ServerContract.CA_PATH;

    private static final String REGION = "DSQL_LOCAL_REGION";

    private static final String ACCESS_KEY = "DSQL_LOCAL_ACCESS_KEY";

    private static final String SECRET_KEY = "DSQL_LOCAL_SECRET_KEY";

    private static final String ACCOUNT_ID = "DSQL_LOCAL_ACCOUNT_ID";

    private static final String INITIAL_CLUSTERS = "DSQL_LOCAL_INITIAL_CLUSTERS";

    private static final String CLUSTER_ID = "DSQL_LOCAL_DEFAULT_CLUSTER_ID";

    private final DockerImageName imageName;

    private final String randomClusterIdentifier = ClusterIdentifiers.random();

    private String username = ADMIN_USER;

    private AuthTokens tokens;

    private boolean deferNextConnection;

    /** SDK clients by Region (the container's own, and the Regions of peered clusters). */
    private final Map<String, DsqlClient> controlPlanes = new HashMap<>();

    /** The image {@code dsql-local} with the tag of this module's version. */
    public DsqlContainer() {
        this(DEFAULT_IMAGE_NAME.withTag(DEFAULT_TAG));
    }

    /** @param dockerImageName {@code dsql-local:<tag>} */
    public DsqlContainer(String dockerImageName) {
        this(DockerImageName.parse(dockerImageName));
    }

    /** @param dockerImageName {@code dsql-local}, or an image declared compatible with it */
    public DsqlContainer(DockerImageName dockerImageName) {
        super(dockerImageName);
        dockerImageName.assertCompatibleWith(DEFAULT_IMAGE_NAME, LOCAL_IMAGE_NAME);
        this.imageName = dockerImageName;
        // Substituted, pulled or built on demand when the container starts.
        setImage(new DsqlImage(dockerImageName, DEFAULT_IMAGE_NAME.withTag(DEFAULT_TAG)));

        addExposedPorts(API_PORT, SQL_PORT);
        // The server prints its ready line once the control plane, the SQL gateway and the startup clusters are all
        // up; the health check confirms the API answers through the mapped port.
        waitingFor(new WaitAllStrategy()
                .withStrategy(Wait.forLogMessage(".*" + READY_LOG_LINE + ".*", 1))
                .withStrategy(Wait.forHttp(HEALTH_PATH).forPort(API_PORT).forStatusCode(200))
                .withStartupTimeout(Duration.ofSeconds(60)));
        withUrlParam("sslmode", "require");
        // Ephemeral state in memory: a test container lives only as long as its tests, and copying the PostgreSQL
        // template into the overlay file system took ~1 s per cluster (~0.1 s on a tmpfs); like
        // PostgreSQLContainer's fsync=off. `exec`: Netty loads its native transport from /tmp.
        withEnv("DSQL_LOCAL_DATA_DIR", "");
        withTmpFs(Collections.singletonMap("/tmp", "rw,exec,nosuid,nodev,mode=1777"));
        withEnv(REGION, "us-east-1");
        withCredentials("test", "test");
        withEnv(ACCOUNT_ID, "000000000000");
        withEnv(INITIAL_CLUSTERS, "1");
        withClusterLifecycleDelays(Duration.ZERO, Duration.ZERO, Duration.ZERO);
        withDialect(DsqlDialect.LATEST);
    }

    @Override
    protected void configure() {
        if (!"0".equals(getEnvMap().get(INITIAL_CLUSTERS))) {
            withEnv(CLUSTER_ID, getClusterIdentifier());
        }
        // The server certificate must name the host clients dial, for sslmode=verify-full (also with DOCKER_HOST).
        withEnv("DSQL_LOCAL_TLS_HOSTNAMES", getHost());
    }

    /** Starts the container; no Docker, a missing image or a taken port end in a message that says what to do. */
    @Override
    public void start() {
        StartupDiagnostics.requireDocker();
        try {
            super.start();
        } catch (RuntimeException e) {
            throw StartupDiagnostics.explain(e);
        }
    }

    /** Waits for the ready line and the health endpoint (not a JDBC poll: that would need a token first). */
    @Override
    protected void waitUntilContainerStarted() {
        getWaitStrategy().waitUntilReady(this);
    }

    @Override
    protected synchronized void containerIsStopping(InspectContainerResponse containerInfo) {
        controlPlanes.values().forEach(DsqlClient::close);
        controlPlanes.clear();
    }

    /**
     * Region of the emulated endpoints, the startup cluster and the tokens (default {@code us-east-1}).
     *
     * @param region an AWS region name
     * @return this container
     */
    public DsqlContainer withRegion(String region) {
        return withEnv(
                REGION, Region.of(Objects.requireNonNull(region, "region")).id());
    }

    /**
     * The access key and secret the emulator accepts, and that tokens are signed with (default test/test).
     *
     * @param accessKey the access key id
     * @param secretKey the secret access key
     * @return this container
     */
    public DsqlContainer withCredentials(String accessKey, String secretKey) {
        withEnv(ACCESS_KEY, Objects.requireNonNull(accessKey, "accessKey"));
        return withEnv(SECRET_KEY, Objects.requireNonNull(secretKey, "secretKey"));
    }

    /**
     * The account the clusters belong to (default 000000000000); it appears in cluster ARNs.
     *
     * @param accountId 12 digits
     * @return this container
     */
    public DsqlContainer withAccountId(String accountId) {
        if (accountId == null || !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("an AWS account id is 12 digits, not '" + accountId + "'");
        }
        return withEnv(ACCOUNT_ID, accountId);
    }

    /**
     * How many clusters exist when the container is ready (default 1). The first is {@link #getClusterIdentifier()};
     * with 0, {@link #getJdbcUrl()} has nothing to connect to until you create one.
     *
     * @param count 0 or more
     * @return this container
     */
    public DsqlContainer withInitialClusters(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("initial clusters must be >= 0, not " + count);
        }
        return withEnv(INITIAL_CLUSTERS, Integer.toString(count));
    }

    /**
     * The identifier of the startup cluster, instead of a random one.
     *
     * @param clusterIdentifier 26 characters of {@code [a-z0-9]}
     * @return this container
     */
    public DsqlContainer withClusterIdentifier(String clusterIdentifier) {
        if (clusterIdentifier == null || !clusterIdentifier.matches("[a-z0-9]{26}")) {
            throw new IllegalArgumentException(
                    "a cluster identifier is 26 characters of [a-z0-9], not '" + clusterIdentifier + "'");
        }
        return withEnv(CLUSTER_ID, clusterIdentifier);
    }

    /**
     * How long clusters stay CREATING, UPDATING and DELETING (default: no extra time), to test code that waits for
     * a cluster with the SDK's waiters or polls its status.
     *
     * @param create time in CREATING
     * @param update time in UPDATING
     * @param delete time in DELETING
     * @return this container
     */
    public DsqlContainer withClusterLifecycleDelays(Duration create, Duration update, Duration delete) {
        withEnv("DSQL_LOCAL_CREATE_DELAY", millis(create, "create"));
        withEnv("DSQL_LOCAL_UPDATE_DELAY", millis(update, "update"));
        return withEnv("DSQL_LOCAL_DELETE_DELAY", millis(delete, "delete"));
    }

    /**
     * How long an asynchronous job ({@code CREATE INDEX ASYNC}, {@code ALTER TABLE ASYNC ... VALIDATE CONSTRAINT})
     * stays pending before it runs (default: the emulator's, 2 s). Until then the index is not valid, as in Aurora
     * DSQL: code that uses it before {@code CALL sys.wait_for_job(job_id)} fails as it would there. The call itself
     * runs the job at once, so waiting code is never slowed by this delay. {@link Duration#ZERO} makes every job
     * finish inside its statement.
     *
     * @param delay zero or more
     * @return this container
     */
    public DsqlContainer withAsyncJobDelay(Duration delay) {
        return withEnv("DSQL_LOCAL_ASYNC_JOB_DELAY", millis(delay, "asynchronous job"));
    }

    /**
     * Open connections each cluster holds (default 1,000; beyond it a connection gets DSQL's {@code 53300}).
     * Every cluster's PostgreSQL is sized to match: about 50 MB of shared memory per 1,000, and a few MB of memory
     * per connection actually open. DSQL's own quota is 10,000.
     *
     * @param perCluster at least 1
     * @return this container
     */
    public DsqlContainer withMaxConnections(int perCluster) {
        if (perCluster < 1) {
            throw new IllegalArgumentException("maximum connections per cluster must be at least 1: " + perCluster);
        }
        return withEnv("DSQL_LOCAL_MAX_CONNECTIONS", Integer.toString(perCluster));
    }

    /**
     * Where CDC streams deliver their change records: a Kinesis-compatible endpoint as the container reaches it,
     * e.g. {@code http://localstack:4566} for a LocalStack container on the same Docker network (network alias
     * {@code localstack}). Requests are signed with this container's credentials ({@link #withCredentials}).
     * Without it the emulator keeps the records, readable with {@link #changeRecords(String)}.
     *
     * @param endpoint an http(s) URL
     * @return this container
     */
    public DsqlContainer withKinesisEndpoint(String endpoint) {
        return withEnv("DSQL_LOCAL_KINESIS_ENDPOINT", Objects.requireNonNull(endpoint, "endpoint"));
    }

    /**
     * {@return the change records the emulator kept for a CDC stream (no Kinesis endpoint configured), oldest first,
     * each the JSON text DSQL would put into Kinesis} At most the newest 10,000 per stream are kept.
     *
     * @param streamIdentifier the stream (from CreateStream)
     */
    public List<String> changeRecords(String streamIdentifier) {
        return ChangeRecords.read(
                getEndpoint(),
                Objects.requireNonNull(streamIdentifier, "streamIdentifier"),
                getRegion(),
                getAccessKey(),
                getSecretKey());
    }

    /**
     * Which of Aurora DSQL's SQL rules apply (default {@link DsqlDialect#LATEST}).
     *
     * @param dialect {@link DsqlDialect#LATEST}, {@link DsqlDialect#OFF} or {@link DsqlDialect#epoch(String)}
     * @return this container
     */
    public DsqlContainer withDialect(DsqlDialect dialect) {
        return withEnv(
                "DSQL_LOCAL_DIALECT", Objects.requireNonNull(dialect, "dialect").value());
    }

    /**
     * The role {@link #getPassword()} signs a token for: {@code admin} (default, a DbConnectAdmin token) or a role
     * created with {@code CREATE ROLE ... WITH LOGIN} and mapped with {@code AWS IAM GRANT} (a DbConnect token).
     */
    @Override
    public DsqlContainer withUsername(String username) {
        this.username = Objects.requireNonNull(username, "username");
        return self();
    }

    /** Refused: DSQL has no passwords, {@link #getPassword()} is an IAM auth token. */
    @Override
    public DsqlContainer withPassword(String password) {
        throw new UnsupportedOperationException(
                "Aurora DSQL has no passwords: the password is an IAM auth token. Use getPassword() or"
                        + " generateAuthToken(...), and withCredentials(...) to choose the signing keys");
    }

    /** Accepts only {@code postgres}: an Aurora DSQL cluster has exactly one database. */
    @Override
    public DsqlContainer withDatabaseName(String databaseName) {
        if (!DATABASE_NAME.equals(databaseName)) {
            throw new UnsupportedOperationException("an Aurora DSQL cluster has exactly one database, 'postgres', not '"
                    + databaseName + "'; create a" + " schema instead, or a cluster of its own with createCluster()");
        }
        return self();
    }

    /** {@return the control-plane endpoint, for {@code DsqlClient.builder().endpointOverride(...)}} */
    public URI getEndpoint() {
        return URI.create("http://" + getHost() + ":" + getMappedPort(API_PORT));
    }

    /** {@return the region, for {@code DsqlClient.builder().region(Region.of(...))}} */
    public String getRegion() {
        return getEnvMap().get(REGION);
    }

    /** {@return the access key id the emulator accepts} */
    public String getAccessKey() {
        return getEnvMap().get(ACCESS_KEY);
    }

    /** {@return the secret access key the emulator accepts} */
    public String getSecretKey() {
        return getEnvMap().get(SECRET_KEY);
    }

    /** {@return the 12-digit account the clusters belong to} */
    public String getAccountId() {
        return getEnvMap().get(ACCOUNT_ID);
    }

    /**
     * The startup cluster's identifier: random for each container, so tests cannot come to depend on one value; with
     * {@link #withReuse(boolean) withReuse(true)} derived from the configuration, because Testcontainers finds a
     * container to reuse by the hash of its configuration. {@link #withClusterIdentifier} pins it.
     *
     * @return 26 characters of {@code [a-z0-9]}
     * @throws IllegalStateException with {@code withInitialClusters(0)}
     */
    public String getClusterIdentifier() {
        if ("0".equals(getEnvMap().get(INITIAL_CLUSTERS))) {
            throw new IllegalStateException("this DsqlContainer starts without clusters (withInitialClusters(0))");
        }
        if (getEnvMap().containsKey(CLUSTER_ID)) {
            return getEnvMap().get(CLUSTER_ID);
        }
        return isShouldBeReused()
                ? ClusterIdentifiers.derivedFrom(
                        imageName.asCanonicalNameString(),
                        getRegion(),
                        getAccountId(),
                        getAccessKey(),
                        getEnvMap().get(INITIAL_CLUSTERS))
                : randomClusterIdentifier;
    }

    /**
     * {@return the startup cluster's endpoint host name, {@code <id>.dsql.<region>.on.aws}, which tokens are signed
     * for} Connections go to {@link #getHost()} and {@link #getSqlPort()}; the token selects the cluster.
     */
    public String getClusterEndpoint() {
        return clusterEndpoint(getClusterIdentifier());
    }

    /**
     * {@return the endpoint host name of any cluster in this container's region, {@code <id>.dsql.<region>.on.aws}}
     *
     * @param clusterIdentifier the cluster
     */
    public String clusterEndpoint(String clusterIdentifier) {
        return clusterIdentifier + ".dsql." + getRegion() + ".on.aws";
    }

    /** {@return the mapped port of the SQL endpoint (PostgreSQL protocol over TLS)} */
    public int getSqlPort() {
        return getMappedPort(SQL_PORT);
    }

    /**
     * {@return a new, empty cluster of its own} Made with CreateCluster (no deletion protection) and waited for
     * until ACTIVE; {@link DsqlCluster#close()} deletes it. See also {@link DsqlClusterExtension}.
     */
    public DsqlCluster createCluster() {
        return DsqlCluster.create(this);
    }

    /**
     * {@return two peered multi-Region clusters sharing one database} The first in this container's Region, the
     * second in {@code peerRegion}, set up as AWS documents it (the first with a witness Region, the second naming
     * the first, the first updated naming the second) and waited for until both are ACTIVE. A row written through
     * one cluster is read through the other; each cluster's tokens are signed for its own Region and endpoint.
     * Closing the first leaves it PENDING_DELETE until the second is closed too (as on AWS).
     *
     * @param peerRegion the second cluster's Region, e.g. {@code us-east-2}
     * @param witnessRegion a third Region, e.g. {@code us-west-2} (validated only: a witness holds no data here)
     */
    public List<DsqlCluster> createMultiRegionClusters(String peerRegion, String witnessRegion) {
        return DsqlCluster.createPeered(this, peerRegion, witnessRegion);
    }

    /** One SDK client per running container and Region, for the clusters it creates and deletes. */
    synchronized DsqlClient controlPlane() {
        return controlPlane(getRegion());
    }

    /** The emulator serves every Region on one endpoint; the client's Region scopes the request. */
    synchronized DsqlClient controlPlane(String region) {
        return controlPlanes.computeIfAbsent(
                region,
                r -> DsqlClient.builder()
                        .endpointOverride(getEndpoint())
                        .region(Region.of(r))
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(getAccessKey(), getSecretKey())))
                        .build());
    }

    /** {@return a {@code DbConnectAdmin} token for the startup cluster, valid 15 minutes (the SDK's default)} */
    public String generateAuthToken() {
        return generateAuthToken(ADMIN_USER);
    }

    /**
     * {@return a token for the startup cluster, valid 15 minutes}
     *
     * @param role {@code admin} (a {@code DbConnectAdmin} token) or a custom role (a {@code DbConnect} token)
     */
    public String generateAuthToken(String role) {
        return generateAuthToken(role, AuthTokens.DEFAULT_LIFETIME);
    }

    /**
     * {@return a token for the startup cluster}
     *
     * @param role {@code admin} or a custom role
     * @param expiresIn between 1 s and {@link #MAX_TOKEN_LIFETIME}
     */
    public String generateAuthToken(String role, Duration expiresIn) {
        return generateAuthToken(getClusterEndpoint(), role, expiresIn);
    }

    /**
     * {@return a token for any cluster}
     *
     * @param clusterEndpoint {@code <id>.dsql.<region>.on.aws} (see {@link #clusterEndpoint(String)})
     * @param role {@code admin} or a custom role
     * @param expiresIn between 1 s and {@link #MAX_TOKEN_LIFETIME}
     */
    public String generateAuthToken(String clusterEndpoint, String role, Duration expiresIn) {
        return tokens().generate(clusterEndpoint, role, expiresIn);
    }

    private synchronized AuthTokens tokens() {
        if (tokens == null || !tokens.isFor(getRegion(), getAccessKey(), getSecretKey())) {
            tokens = new AuthTokens(getRegion(), getAccessKey(), getSecretKey());
        }
        return tokens;
    }

    /** {@return pgJDBC's driver: DSQL speaks the PostgreSQL protocol} */
    @Override
    public String getDriverClassName() {
        return "org.postgresql.Driver";
    }

    /**
     * {@return {@code jdbc:postgresql://<host>:<port>/postgres?sslmode=require}} TLS without checking the
     * certificate, as DSQL's documentation recommends for a start; for {@code sslmode=verify-full} add
     * {@code withUrlParam("sslmode", "verify-full")} and {@code withUrlParam("sslrootcert", path)} with a file from
     * {@link #copyCaCertificateTo(Path)}.
     */
    @Override
    public String getJdbcUrl() {
        return "jdbc:postgresql://" + getHost() + ":" + getSqlPort() + "/" + DATABASE_NAME
                + constructUrlParameters("?", "&");
    }

    /** {@return {@code postgres}, the only database of a DSQL cluster} */
    @Override
    public String getDatabaseName() {
        return DATABASE_NAME;
    }

    /** {@return the role of {@link #getPassword()}: {@code admin} unless {@link #withUsername(String)} chose another} */
    @Override
    public String getUsername() {
        return username;
    }

    /**
     * {@return a token for {@link #getUsername()} on the startup cluster, valid 7 days} Long enough for any test JVM,
     * so connection pools and frameworks that read the password once keep working.
     */
    @Override
    public String getPassword() {
        return tokens().longLived(getClusterEndpoint(), username);
    }

    @Override
    protected String getTestQueryString() {
        return "SELECT 1";
    }

    /**
     * One attempt, not Testcontainers' two-minute retry loop: the container is ready when {@link #start()} returns,
     * so a refusal (an unknown role, a bad token) is final and is reported at once with the emulator's reason.
     */
    @Override
    public Connection createConnection(String queryString, Properties info) throws SQLException {
        synchronized (this) {
            if (deferNextConnection) {
                deferNextConnection = false;
                return DeferredConnection.of(() -> connectOnce(queryString, info));
            }
        }
        return connectOnce(queryString, info);
    }

    private Connection connectOnce(String queryString, Properties info) throws SQLException {
        Properties properties = new Properties();
        if (info != null) {
            properties.putAll(info);
        }
        properties.put("user", getUsername());
        properties.put("password", getPassword());
        try {
            return getJdbcDriverInstance().connect(constructUrlForConnection(queryString), properties);
        } catch (SQLException e) {
            throw ConnectionRefusal.explain(e, getUsername(), getAccountId());
        }
    }

    /** Makes the next {@link #createConnection} open on first use (see {@link DeferredConnection}). */
    synchronized void deferNextConnection() {
        deferNextConnection = true;
    }

    /** {@return conflict and fault injection for the startup cluster} */
    public DsqlFaults faults() {
        return faults(getClusterIdentifier());
    }

    /**
     * {@return conflict and fault injection for any cluster of this container}
     *
     * @param clusterIdentifier the cluster
     */
    public DsqlFaults faults(String clusterIdentifier) {
        return new DsqlFaults(getEndpoint(), clusterIdentifier, getRegion(), getAccessKey(), getSecretKey());
    }

    /** {@return the PEM of the emulator's certificate authority, which signs the SQL endpoint's certificate} */
    public String getCaCertificatePem() {
        return CaCertificate.download(getEndpoint().resolve(CA_PATH));
    }

    /**
     * Writes {@link #getCaCertificatePem()} to {@code file} (e.g. for pgJDBC's {@code sslrootcert}).
     *
     * @param file where to write; missing parent directories are created
     * @return {@code file}
     * @throws IOException when it cannot be written
     */
    public Path copyCaCertificateTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.writeString(file, getCaCertificatePem(), StandardCharsets.US_ASCII);
    }

    private static String millis(Duration delay, String what) {
        if (Objects.requireNonNull(delay, what).isNegative()) {
            throw new IllegalArgumentException(what + " delay must not be negative: " + delay);
        }
        return delay.toMillis() + "ms";
    }
}
