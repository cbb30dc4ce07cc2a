package dev.dsqllocal.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.auth.CredentialStore;
import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.auth.SigV4Verifier;
import dev.dsqllocal.cdc.KinesisDelivery;
import dev.dsqllocal.cdc.LogicalDecodingCapture;
import dev.dsqllocal.cdc.RecordSink;
import dev.dsqllocal.cdc.RetainedRecords;
import dev.dsqllocal.clusters.Caller;
import dev.dsqllocal.clusters.Cluster;
import dev.dsqllocal.clusters.ClusterDirectory;
import dev.dsqllocal.clusters.ClusterDomain;
import dev.dsqllocal.clusters.ClusterIds;
import dev.dsqllocal.clusters.ClusterService;
import dev.dsqllocal.clusters.DatabaseFleet;
import dev.dsqllocal.clusters.Lifecycle;
import dev.dsqllocal.contract.ServerContract;
import dev.dsqllocal.controlplane.ApiDispatcher;
import dev.dsqllocal.controlplane.ChangeRecordEndpoints;
import dev.dsqllocal.controlplane.ControlPlaneOperations;
import dev.dsqllocal.controlplane.FaultEndpoints;
import dev.dsqllocal.controlplane.HttpApiServer;
import dev.dsqllocal.controlplane.LocalEndpoints;
import dev.dsqllocal.controlplane.ServiceModel;
import dev.dsqllocal.dialect.DialectPolicy;
import dev.dsqllocal.dialect.DialectRules;
import dev.dsqllocal.faults.FaultRegistry;
import dev.dsqllocal.gateway.IamRoleMappings;
import dev.dsqllocal.gateway.SqlGateway;
import dev.dsqllocal.postgres.AsyncJobRunner;
import dev.dsqllocal.postgres.InternalRoles;
import dev.dsqllocal.postgres.PostgresFleet;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.storage.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running emulator: credentials, persisted state, the PostgreSQL fleet, the cluster service and the
 * control-plane HTTP API, and the SQL gateway ({@link SqlGatewayFactory}).
 *
 * <p>Start order: state is loaded, interrupted transitions are finished, on first start the initial clusters are
 * created and awaited, then the API listens and one {@code DSQL Local ready ...} line is logged.
 */
public final class DsqlLocalServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DsqlLocalServer.class);
    /** Prefix of the log line container wait strategies look for. */
    public static final String READY_PREFIX = ServerContract.READY_LOG_LINE;

    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    /** Makes the fleet: (clusters root, config) → fleet. Lets tests use a stand-in; production uses PostgresFleet. */
    @FunctionalInterface
    public interface FleetFactory {
        DatabaseFleet create(Path clustersRoot, ServerConfig config) throws IOException;
    }

    /**
     * Makes and starts the SQL gateway from the running server (directory, credentials, config, local endpoints);
     * {@link SqlGatewayFactory} in production. Without one, {@link #sqlPort()} reports the configured port.
     */
    public interface GatewayFactory {
        SqlGateway start(DsqlLocalServer server) throws Exception;
    }

    private final ServerConfig config;
    private final CredentialStore credentials;
    private final LocalEndpoints localEndpoints = new LocalEndpoints();
    private final FaultRegistry faults = new FaultRegistry(Clock.systemUTC());
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path dataDir;
    private boolean ephemeral;
    private DatabaseFleet fleet;
    private LogicalDecodingCapture capture;
    private RecordSink sink;
    private StateStore store;
    private ClusterDomain domain;
    private ClusterService clusters;
    private HttpApiServer api;
    private SqlGateway gateway;
    private volatile boolean ready;

    private DsqlLocalServer(ServerConfig config) {
        this.config = config;
        this.credentials = new CredentialStore(config.principals(), config.authMode());
    }

    /** Starts with the real PostgreSQL fleet and the SQL gateway. */
    public static DsqlLocalServer start(ServerConfig config) throws Exception {
        return start(config, Fleets.postgres(), gatewayFor(config));
    }

    /**
     * The SQL gateway as configured: with the DSQL dialect at the configured epoch (rules read once, shared by
     * every session), or a plain pass-through proxy for {@code --dialect off}.
     */
    public static GatewayFactory gatewayFor(ServerConfig config) {
        AsyncJobRunner jobs = new AsyncJobRunner();
        SessionPolicy.Factory policies = config.dialect()
                .map(epoch -> DialectPolicy.factory(DialectRules.forEpoch(epoch), Clock.systemUTC(), jobs))
                .orElse(SessionPolicy.Factory.NONE);
        return new SqlGatewayFactory(policies, new IamRoleMappings(), jobs);
    }

    public static DsqlLocalServer start(ServerConfig config, FleetFactory fleets, GatewayFactory gateways)
            throws Exception {
        DsqlLocalServer server = new DsqlLocalServer(config);
        try {
            server.run(fleets, gateways);
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    private void run(FleetFactory fleets, GatewayFactory gateways) throws Exception {
        long started = System.nanoTime();
        ephemeral = config.dataDir().isEmpty();
        dataDir = ephemeral
                ? Files.createTempDirectory("dsql-local-")
                : config.dataDir().get();
        if (ephemeral) {
            // When the emulator runs as root, PostgreSQL runs as an unprivileged user that must be able to reach
            // its data directories below this one: searchable (not listable) by others.
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx--x--x"));
        }
        Files.createDirectories(dataDir);
        store = new StateStore(dataDir, !ephemeral).load();
        // Load the service model, the signer and the JSON machinery while the fleet prepares PostgreSQL: in a
        // fresh JVM their class loading is a noticeable part of start-up time.
        CompletableFuture<ServiceModel> model = CompletableFuture.supplyAsync(() -> {
            ServiceModel loaded = ServiceModel.load();
            new SigV4Verifier(credentials, Clock.systemUTC());
            ClusterIds.newId();
            return loaded;
        });
        fleet = fleets.create(dataDir.resolve("clusters"), config);
        LOG.debug("PostgreSQL fleet prepared after {} ms", (System.nanoTime() - started) / 1_000_000);
        sink = changeRecordSink();
        capture = new LogicalDecodingCapture(fleet, InternalRoles.SUPERUSER, sink, Clock.systemUTC());
        domain = new ClusterDomain(store.clusters(), store, fleet, capture, lifecycle(config), Clock.systemUTC());
        capture.reportFailuresTo(domain.streams());
        clusters = domain.clusters();
        CompletableFuture<Void> restarted = domain.recover();
        List<String> initial = clusters.isInitialized() ? List.of() : createInitialClusters();
        // The gateway starts (its TLS set-up is a good part of start-up) while the API is built and while the
        // clusters' PostgreSQL servers come up: until a cluster is ACTIVE, logins to it get DSQL's refusal, and
        // the ready line waits for all three.
        CompletableFuture<SqlGateway> gatewayStarting = gateways == null
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> {
                    try {
                        return gateways.start(this);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                });
        try {
            startApi(started, model);
        } catch (Exception | Error e) {
            // close() cannot see a gateway that is still starting: close it once it is up.
            gatewayStarting.thenAccept(g -> {
                if (g != null) {
                    g.close();
                }
            });
            throw e;
        }
        try {
            gateway = gatewayStarting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
        awaitStartupClusters(restarted, initial);
        ready = true;
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.info(
                "{} in {} ms: api=http://{}:{} sql={}:{} region={} account={} cluster={}",
                READY_PREFIX,
                ms,
                config.bindAddress(),
                apiPort(),
                config.bindAddress(),
                sqlPort(),
                config.defaultRegion(),
                config.defaultAccountId(),
                defaultClusterId().orElse("none"));
    }

    /** The control-plane API; /dsql-local/health answers 503 "starting" until the ready line. */
    private void startApi(long started, CompletableFuture<ServiceModel> model) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ApiDispatcher.registerHealth(localEndpoints, () -> ready);
        ApiDispatcher dispatcher = new ApiDispatcher(
                model.join(),
                new SigV4Verifier(credentials, Clock.systemUTC()),
                new ControlPlaneOperations(domain, store, json, faults, Clock.systemUTC()),
                localEndpoints,
                json);
        new FaultEndpoints(faults, clusters, Clock.systemUTC()).register(localEndpoints);
        if (sink instanceof RetainedRecords retained) {
            new ChangeRecordEndpoints(streamId -> retained.kept(streamId)
                            .map(k -> new ChangeRecordEndpoints.Kept(k.accountId(), k.records(), k.dropped())))
                    .register(localEndpoints);
        }
        api = HttpApiServer.start(dispatcher, config.bindAddress(), config.apiPort());
        LOG.debug("API listening on port {} after {} ms", api.port(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * CDC records go to the configured Kinesis endpoint, signed with the credentials configured for the stream's
     * account; without an endpoint the emulator keeps them for tests to read.
     */
    private RecordSink changeRecordSink() {
        if (config.kinesisEndpoint().isEmpty()) {
            return new RetainedRecords(RetainedRecords.DEFAULT_CAPACITY);
        }
        List<Principal> principals = config.principals();
        KinesisDelivery kinesis = new KinesisDelivery(
                config.kinesisEndpoint().get(),
                account -> principals.stream()
                        .filter(p -> p.accountId().equals(account))
                        .findFirst()
                        .map(p -> new KinesisDelivery.Credentials(p.accessKeyId(), p.secretAccessKey())));
        toClose.add(kinesis);
        return kinesis;
    }

    /**
     * Creates the startup clusters (their PostgreSQL servers start in the background) and records the first as
     * the default cluster at once, so a crash during start-up resumes them instead of creating more.
     */
    private List<String> createInitialClusters() {
        Caller caller = new Caller(
                config.defaultAccountId(),
                config.defaultRegion(),
                credentials.defaultPrincipal().principalArn());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < config.initialClusters(); i++) {
            Optional<String> id = i == 0 ? config.defaultClusterId() : Optional.empty();
            // Startup clusters are for local use: deletion protection off so tests can delete them freely.
            Cluster c = clusters.createCluster(
                    caller,
                    new ClusterService.ClusterSpec(
                            id, false, Optional.empty(), Optional.empty(), Map.of(), Optional.empty()));
            ids.add(c.identifier());
        }
        clusters.markInitialized(ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0)));
        return ids;
    }

    private void awaitStartupClusters(CompletableFuture<Void> restarted, List<String> initial) throws Exception {
        try {
            restarted.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Not every cluster's PostgreSQL restarted within {}", STARTUP_TIMEOUT);
        }
        for (String id : initial) {
            if (!clusters.awaitActive(id, STARTUP_TIMEOUT)) {
                throw new IllegalStateException("startup cluster " + id + " did not become ACTIVE (see log)");
            }
        }
    }

    static Lifecycle lifecycle(ServerConfig c) {
        return new Lifecycle(
                c.createDelay(),
                c.updateDelay(),
                c.deleteDelay(),
                c.streamCreateDelay(),
                c.streamDeleteDelay(),
                c.maxClustersPerRegion(),
                c.maxMultiRegionClustersPerRegion(),
                c.maxStreamsPerCluster());
    }

    public int apiPort() {
        return api.port();
    }

    /** The SQL gateway's bound port, or the configured one while no gateway is plugged in. */
    public int sqlPort() {
        return gateway != null ? gateway.port() : config.sqlPort();
    }

    /** Faults injected for tests through {@code /dsql-local/clusters/{id}/faults}. */
    public FaultRegistry faults() {
        return faults;
    }

    public ClusterDirectory clusterDirectory() {
        return clusters;
    }

    public ClusterService clusterService() {
        return clusters;
    }

    public CredentialStore credentials() {
        return credentials;
    }

    public Optional<String> defaultClusterId() {
        return clusters.defaultClusterId();
    }

    public ServerConfig config() {
        return config;
    }

    public LocalEndpoints localEndpoints() {
        return localEndpoints;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isReady() {
        return ready;
    }

    /** Stops the gateway, the API, the lifecycle work and every PostgreSQL server; removes an ephemeral data dir. */
    @Override
    public synchronized void close() {
        ready = false;
        closeQuietly(gateway);
        gateway = null;
        closeQuietly(api);
        api = null;
        closeQuietly(domain);
        // captures stop before their databases do; the slots keep the position of what was delivered
        closeQuietly(capture);
        capture = null;
        toClose.forEach(DsqlLocalServer::closeQuietly);
        toClose.clear();
        closeQuietly(fleet);
        fleet = null;
        if (ephemeral && dataDir != null) {
            deleteRecursively(dataDir);
            dataDir = null;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Error while stopping {}", c.getClass().getSimpleName(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot remove temporary data directory {}", dir, e);
        }
    }

    /** Fleet factories. */
    public static final class Fleets {
        private Fleets() {}

        /** The real PostgreSQL fleet: durable (fsync on) with a data directory, faster when ephemeral. */
        public static FleetFactory postgres() {
            return (clustersRoot, config) -> new PostgresFleet(
                    clustersRoot,
                    config.cacheDir(),
                    config.pgHome(),
                    config.dataDir().isPresent(),
                    config.dialect().map(Object::toString).orElse("off"),
                    config.maxConnectionsPerCluster(),
                    config.asyncJobDelay());
        }
    }
}
