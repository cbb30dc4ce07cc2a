package dev.dsqllocal.testcontainers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

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
 * <p>The container starts with one cluster, {@link #getClusterIdentifier()}. Connect with pgJDBC and a token:
 * <pre>{@code
 * Properties props = new Properties();
 * props.setProperty("user", "admin");
 * props.setProperty("password", dsql.generateAuthToken());
 * Connection c = DriverManager.getConnection(dsql.getJdbcUrl(), props);
 * }</pre>
 * or manage clusters with the AWS SDK:
 * <pre>{@code
 * DsqlClient client = DsqlClient.builder()
 *     .endpointOverride(dsql.getEndpoint())
 *     .region(Region.of(dsql.getRegion()))
 *     .credentialsProvider(StaticCredentialsProvider.create(
 *         AwsBasicCredentials.create(dsql.getAccessKey(), dsql.getSecretKey())))
 *     .build();
 * }</pre>
 *
 * <p>{@link #getPassword()} is an admin token valid for 7 days (DSQL's longest), so Testcontainers' JDBC support,
 * {@code withInitScript} and Spring Boot's {@code @ServiceConnection} work as with any JDBC container.
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

    public static final int API_PORT = 4566;

    public static final int SQL_PORT = 5432;

    /** Aurora DSQL has exactly one database per cluster. */
    public static final String DATABASE_NAME = "postgres";

    public static final String ADMIN_USER = "admin";

    /** The longest lifetime DSQL allows for an auth token (604,800 s). */
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(7);

    static final String READY_LOG_LINE = ServerContract.READY_LOG_LINE;

    static final String HEALTH_PATH = ServerContract.HEALTH_PATH;

    static final String CA_PATH = ServerContract.CA_PATH;

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    private String region = "us-east-1";

    private String accessKey = "test";

    private String secretKey = "test";

    private String accountId = "000000000000";

    private String username = ADMIN_USER;

    private int initialClusters = 1;

    private Duration createDelay = Duration.ZERO;

    private Duration updateDelay = Duration.ZERO;

    private Duration deleteDelay = Duration.ZERO;

    private String dialect = "latest";

    /** Set by {@link #withClusterIdentifier(String)}; otherwise see {@link #getClusterIdentifier()}. */
    private String pinnedClusterIdentifier;

    private final String randomClusterIdentifier = randomClusterIdentifier();

    private final DockerImageName imageName;

    private DsqlUtilities tokenGenerator;

    private String cachedPassword;

    private Instant cachedPasswordRenewAt = Instant.MIN;

    /** The image {@code dsql-local} with the tag of this module's version. */
    public DsqlContainer() {
        this(DEFAULT_IMAGE_NAME.withTag(DEFAULT_TAG));
    }

    public DsqlContainer(String dockerImageName) {
        this(DockerImageName.parse(dockerImageName));
    }

    public DsqlContainer(DockerImageName dockerImageName) {
        super(dockerImageName);
        dockerImageName.assertCompatibleWith(DEFAULT_IMAGE_NAME, LOCAL_IMAGE_NAME);
        this.imageName = dockerImageName;
        // Substituted, pulled or built on demand when the container starts.
        setImage(new DsqlImage(dockerImageName, DEFAULT_IMAGE_NAME.withTag(DEFAULT_TAG)));

        addExposedPorts(API_PORT, SQL_PORT);
        // The server prints its ready line once the control plane, the SQL gateway and the startup clusters are all
        // up; the health check confirms the API answers through the mapped port.
        waitingFor(
            new WaitAllStrategy()
                .withStrategy(Wait.forLogMessage(".*" + READY_LOG_LINE + ".*", 1))
                .withStrategy(Wait.forHttp(HEALTH_PATH).forPort(API_PORT).forStatusCode(200))
                .withStartupTimeout(STARTUP_TIMEOUT)
        );
        withUrlParam("sslmode", "require");
    }

    @Override
    protected void configure() {
        // Ephemeral state in memory: a test container lives only as long as its tests. The server keeps an
        // ephemeral data directory under /tmp (no fsync), and /tmp is a tmpfs, because copying the PostgreSQL
        // template into the container's overlay file system took ~1 s of every cluster creation, start-up
        // included (~0.1 s in memory). Like PostgreSQLContainer's fsync=off. `exec`: Netty loads its native
        // transport from /tmp. The image's default (for `docker run`) stays durable in its volume.
        withEnv("DSQL_LOCAL_DATA_DIR", "");
        withTmpFs(Collections.singletonMap("/tmp", "rw,exec,nosuid,nodev,mode=1777"));
        withEnv("DSQL_LOCAL_REGION", region);
        withEnv("DSQL_LOCAL_ACCESS_KEY", accessKey);
        withEnv("DSQL_LOCAL_SECRET_KEY", secretKey);
        withEnv("DSQL_LOCAL_ACCOUNT_ID", accountId);
        withEnv("DSQL_LOCAL_INITIAL_CLUSTERS", Integer.toString(initialClusters));
        if (initialClusters > 0) {
            withEnv("DSQL_LOCAL_DEFAULT_CLUSTER_ID", getClusterIdentifier());
        }
        withEnv("DSQL_LOCAL_CREATE_DELAY", createDelay.toMillis() + "ms");
        withEnv("DSQL_LOCAL_UPDATE_DELAY", updateDelay.toMillis() + "ms");
        withEnv("DSQL_LOCAL_DELETE_DELAY", deleteDelay.toMillis() + "ms");
        withEnv("DSQL_LOCAL_DIALECT", dialect);
        // The generated server certificate must name the host clients dial for sslmode=verify-full to work, also
        // when Docker runs elsewhere (DOCKER_HOST=tcp://...).
        withEnv("DSQL_LOCAL_TLS_HOSTNAMES", getHost());
    }

    /**
     * Starts the container, with error messages that say what to do when there is no Docker engine, the image is
     * missing or a host port is taken.
     */
    @Override
    public void start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException(
                "DsqlContainer needs a running Docker engine, and Testcontainers found none (it looked at DOCKER_HOST,"
                + " ~/.testcontainers.properties and /var/run/docker.sock). Start Docker (or point DOCKER_HOST at"
                + " one) and run again; see https://java.testcontainers.org/supported_docker_environment/"
            );
        }
        try {
            super.start();
        } catch (RuntimeException e) {
            throw explain(e);
        }
    }

    private static RuntimeException explain(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DsqlImage.UnavailableException) {
                return (DsqlImage.UnavailableException) cause;
            }
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("port is already allocated") || message.contains("address already in use")) {
                return new IllegalStateException(
                    "A host port DsqlContainer was told to bind is already taken (" + cause.getMessage() + "). Let"
                    + " Testcontainers choose free ports and ask getMappedPort(" + SQL_PORT + ") / getEndpoint(),"
                    + " or free the port",
                    e
                );
            }
        }
        return e;
    }

    /** Waits for the ready line and the health endpoint (not a JDBC poll: that would need a token first). */
    @Override
    protected void waitUntilContainerStarted() {
        getWaitStrategy().waitUntilReady(this);
    }

    // ---------------------------------------------------------------- configuration

    /** Region of the emulated endpoints, the startup cluster and the tokens (default {@code us-east-1}). */
    public DsqlContainer withRegion(String region) {
        Region.of(Objects.requireNonNull(region, "region"));
        this.region = region;
        return self();
    }

    /** The access key and secret the emulator accepts, and that tokens are signed with (default test/test). */
    public DsqlContainer withCredentials(String accessKey, String secretKey) {
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
        invalidateTokens();
        return self();
    }

    /** The 12-digit account the clusters belong to (default 000000000000); it appears in cluster ARNs. */
    public DsqlContainer withAccountId(String accountId) {
        if (accountId == null || !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("an AWS account id is 12 digits, not '" + accountId + "'");
        }
        this.accountId = accountId;
        return self();
    }

    /**
     * How many clusters exist when the container is ready (default 1). The first is {@link #getClusterIdentifier()};
     * list the others with {@code DsqlClient.listClusters}. With 0 there is no startup cluster, so
     * {@link #getJdbcUrl()} has nothing to connect to until you create one.
     */
    public DsqlContainer withInitialClusters(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("initial clusters must be >= 0, not " + count);
        }
        this.initialClusters = count;
        return self();
    }

    /**
     * The identifier of the startup cluster (26 characters of {@code [a-z0-9]}), instead of a random one.
     */
    public DsqlContainer withClusterIdentifier(String clusterIdentifier) {
        if (clusterIdentifier == null || !clusterIdentifier.matches("[a-z0-9]{26}")) {
            throw new IllegalArgumentException(
                "a cluster identifier is 26 characters of [a-z0-9], not '" + clusterIdentifier + "'"
            );
        }
        this.pinnedClusterIdentifier = clusterIdentifier;
        invalidateTokens();
        return self();
    }

    /**
     * How long clusters stay CREATING, UPDATING and DELETING (default: no extra time), to test code that waits for
     * a cluster with the SDK's waiters or polls its status.
     */
    public DsqlContainer withClusterLifecycleDelays(Duration create, Duration update, Duration delete) {
        this.createDelay = nonNegative(create, "create");
        this.updateDelay = nonNegative(update, "update");
        this.deleteDelay = nonNegative(delete, "delete");
        return self();
    }

    /**
     * Which of Aurora DSQL's SQL rules apply: {@code "latest"} (default), an earlier rule epoch such as
     * {@code "2026-08"} or {@code "2026-08-25"} (DSQL's rules change monthly: foreign keys, for instance, from
     * 2026-08-26), or {@code "off"} for plain PostgreSQL behaviour behind the same TLS and token checks.
     */
    public DsqlContainer withDialect(String dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        return self();
    }

    /**
     * The database role {@link #getPassword()} signs a token for: {@code admin} (default, a DbConnectAdmin token) or
     * a role you created with {@code CREATE ROLE ... WITH LOGIN} and granted with {@code AWS IAM GRANT} (a DbConnect
     * token).
     */
    @Override
    public DsqlContainer withUsername(String username) {
        this.username = Objects.requireNonNull(username, "username");
        invalidateTokens();
        return self();
    }

    /** Not supported: DSQL has no passwords, {@link #getPassword()} is an IAM auth token. */
    @Override
    public DsqlContainer withPassword(String password) {
        throw new UnsupportedOperationException(
            "Aurora DSQL has no passwords: the password is an IAM auth token. Use getPassword() or"
            + " generateAuthToken(...), and withCredentials(...) to choose the signing keys"
        );
    }

    /** Not supported: an Aurora DSQL cluster has exactly one database, {@code postgres}. */
    @Override
    public DsqlContainer withDatabaseName(String databaseName) {
        throw new UnsupportedOperationException(
            "an Aurora DSQL cluster has exactly one database, 'postgres'; create a schema instead"
        );
    }

    // ---------------------------------------------------------------- AWS side (LocalStack conventions)

    /**
     * The control-plane endpoint, for {@code DsqlClient.builder().endpointOverride(dsql.getEndpoint())}.
     */
    public URI getEndpoint() {
        return URI.create("http://" + getHost() + ":" + getMappedPort(API_PORT));
    }

    public String getRegion() {
        return region;
    }

    public String getAccessKey() {
        return accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public String getAccountId() {
        return accountId;
    }

    /**
     * The startup cluster's identifier. It is random for each container, so tests cannot come to depend on one
     * value; with {@link #withReuse(boolean) withReuse(true)} it is derived from the configuration instead, because
     * Testcontainers finds a container to reuse by the hash of its configuration, which a random identifier would
     * change at every run. {@link #withClusterIdentifier(String)} pins it.
     */
    public String getClusterIdentifier() {
        if (initialClusters == 0) {
            throw new IllegalStateException("this DsqlContainer starts without clusters (withInitialClusters(0))");
        }
        if (pinnedClusterIdentifier != null) {
            return pinnedClusterIdentifier;
        }
        return isShouldBeReused() ? reusableClusterIdentifier() : randomClusterIdentifier;
    }

    /**
     * The startup cluster's endpoint host name, {@code <id>.dsql.<region>.on.aws}: the host auth tokens are signed
     * for. The SQL endpoint picks the cluster from the token, so connections go to {@link #getHost()} and
     * {@link #getSqlPort()} with a token for this name.
     */
    public String getClusterEndpoint() {
        return clusterEndpoint(getClusterIdentifier());
    }

    /** The endpoint host name of any cluster in this container's region, for tokens to that cluster. */
    public String clusterEndpoint(String clusterIdentifier) {
        return clusterIdentifier + ".dsql." + region + ".on.aws";
    }

    /** The mapped port of the SQL endpoint (PostgreSQL protocol over TLS). */
    public int getSqlPort() {
        return getMappedPort(SQL_PORT);
    }

    // ---------------------------------------------------------------- tokens

    /** A {@code DbConnectAdmin} token for the startup cluster, valid 15 minutes (the SDK's default). */
    public String generateAuthToken() {
        return generateAuthToken(ADMIN_USER);
    }

    /**
     * A token for the startup cluster, valid 15 minutes: {@code DbConnectAdmin} for {@code admin}, {@code DbConnect}
     * for any other role.
     */
    public String generateAuthToken(String role) {
        return generateAuthToken(role, Duration.ofMinutes(15));
    }

    /** A token for the startup cluster valid for {@code expiresIn} (at most {@link #MAX_TOKEN_LIFETIME}). */
    public String generateAuthToken(String role, Duration expiresIn) {
        return generateAuthToken(getClusterEndpoint(), role, expiresIn);
    }

    /** A token for any cluster endpoint host (see {@link #clusterEndpoint(String)}). */
    public String generateAuthToken(String clusterEndpoint, String role, Duration expiresIn) {
        Objects.requireNonNull(clusterEndpoint, "clusterEndpoint");
        Objects.requireNonNull(role, "role");
        if (expiresIn.isNegative() || expiresIn.isZero() || expiresIn.compareTo(MAX_TOKEN_LIFETIME) > 0) {
            throw new IllegalArgumentException("a DSQL auth token lives between 1 s and 7 days, not " + expiresIn);
        }
        DsqlUtilities generator = tokenGenerator();
        if (ADMIN_USER.equals(role)) {
            return generator.generateDbConnectAdminAuthToken(b -> b.hostname(clusterEndpoint).expiresIn(expiresIn));
        }
        return generator.generateDbConnectAuthToken(b -> b.hostname(clusterEndpoint).expiresIn(expiresIn));
    }

    private synchronized DsqlUtilities tokenGenerator() {
        if (tokenGenerator == null) {
            tokenGenerator =
                DsqlUtilities
                    .builder()
                    .region(Region.of(region))
                    .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey))
                    )
                    .build();
        }
        return tokenGenerator;
    }

    private synchronized void invalidateTokens() {
        tokenGenerator = null;
        cachedPassword = null;
        cachedPasswordRenewAt = Instant.MIN;
    }

    // ---------------------------------------------------------------- JDBC

    @Override
    public String getDriverClassName() {
        return "org.postgresql.Driver";
    }

    /**
     * {@code jdbc:postgresql://<host>:<port>/postgres?sslmode=require}: TLS without checking the certificate, as
     * DSQL's documentation recommends for a start. For {@code sslmode=verify-full} use
     * {@link #copyCaCertificateTo(Path)} and {@code withUrlParam("sslmode", "verify-full")} plus
     * {@code withUrlParam("sslrootcert", path)}.
     */
    @Override
    public String getJdbcUrl() {
        return "jdbc:postgresql://" + getHost() + ":" + getSqlPort() + "/" + DATABASE_NAME
            + constructUrlParameters("?", "&");
    }

    @Override
    public String getDatabaseName() {
        return DATABASE_NAME;
    }

    @Override
    public String getUsername() {
        return username;
    }

    /**
     * A token for {@link #getUsername()} on the startup cluster, valid 7 days: long enough for any test JVM, so
     * connection pools and frameworks that read the password once keep working. A fresh one is made when less
     * than a day is left.
     */
    @Override
    public synchronized String getPassword() {
        Instant now = Instant.now();
        if (cachedPassword == null || now.isAfter(cachedPasswordRenewAt)) {
            cachedPassword = generateAuthToken(username, MAX_TOKEN_LIFETIME);
            cachedPasswordRenewAt = now.plus(MAX_TOKEN_LIFETIME).minus(Duration.ofDays(1));
        }
        return cachedPassword;
    }

    @Override
    protected String getTestQueryString() {
        return "SELECT 1";
    }

    // ---------------------------------------------------------------- fault injection

    /** Conflict and fault injection for the startup cluster ({@link #getClusterIdentifier()}). */
    public DsqlFaults faults() {
        return faults(getClusterIdentifier());
    }

    /** Conflict and fault injection for any cluster of this container. */
    public DsqlFaults faults(String clusterIdentifier) {
        return new DsqlFaults(getEndpoint(), clusterIdentifier);
    }

    // ---------------------------------------------------------------- TLS

    /**
     * The PEM certificate of the emulator's own certificate authority, which signs the SQL endpoint's certificate
     * (for {@code sslmode=verify-full}, or a Java trust store).
     */
    public String getCaCertificatePem() {
        URI uri = getEndpoint().resolve(CA_PATH);
        try {
            HttpResponse<String> response = HttpClient
                .newHttpClient()
                .send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII)
                );
            if (response.statusCode() != 200 || !response.body().contains("BEGIN CERTIFICATE")) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ", not a PEM");
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot fetch the CA certificate from " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + uri, e);
        }
    }

    /** Writes {@link #getCaCertificatePem()} to {@code file} (e.g. for pgJDBC's {@code sslrootcert}). */
    public Path copyCaCertificateTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.writeString(file, getCaCertificatePem(), StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- helpers

    private static Duration nonNegative(Duration delay, String what) {
        Objects.requireNonNull(delay, what);
        if (delay.isNegative()) {
            throw new IllegalArgumentException(what + " delay must not be negative: " + delay);
        }
        return delay;
    }

    private static String randomClusterIdentifier() {
        StringBuilder id = new StringBuilder(26);
        for (int i = 0; i < 26; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    /** Stable for a given configuration, so the container's configuration hash (and thus reuse) is stable too. */
    private String reusableClusterIdentifier() {
        String configuration = String.join(
            "\n",
            imageName.asCanonicalNameString(),
            region,
            accountId,
            accessKey,
            Integer.toString(initialClusters)
        );
        try {
            byte[] digest = MessageDigest
                .getInstance("SHA-256")
                .digest(configuration.getBytes(StandardCharsets.UTF_8));
            StringBuilder id = new StringBuilder(26);
            for (int i = 0; i < 26; i++) {
                id.append(ID_ALPHABET.charAt((digest[i] & 0xff) % ID_ALPHABET.length()));
            }
            return id.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
