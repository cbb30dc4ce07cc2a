package dev.dsqllocal.server;

import dev.dsqllocal.clusters.ClusterDirectory;
import dev.dsqllocal.clusters.ClusterView;
import dev.dsqllocal.concurrency.CatalogVersions;
import dev.dsqllocal.concurrency.CommitFaults;
import dev.dsqllocal.concurrency.ConcurrencyPolicy;
import dev.dsqllocal.concurrency.Conflict;
import dev.dsqllocal.contract.ServerContract;
import dev.dsqllocal.controlplane.LocalEndpoints;
import dev.dsqllocal.faults.FaultRegistry;
import dev.dsqllocal.faults.FaultyClusterDirectory;
import dev.dsqllocal.gateway.GatewaySettings;
import dev.dsqllocal.gateway.RoleMappings;
import dev.dsqllocal.gateway.SqlGateway;
import dev.dsqllocal.postgres.AsyncJobRunner;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.tls.ServerTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Plugs the SQL gateway into the running emulator: TLS material in {@code <dataDir>/tls} (the ephemeral
 * directory when there is no data dir), the CA served at {@code /dsql-local/ca.pem}, the listener on
 * {@code --bind-address}:{@code --sql-port}, clusters from the server's directory and credentials from its store.
 */
public final class SqlGatewayFactory implements DsqlLocalServer.GatewayFactory {
    public static final String CA_PATH = ServerContract.CA_PATH;

    private final SessionPolicy.Factory policies;
    private final RoleMappings roleMappings;
    private final AsyncJobRunner jobs;

    public SqlGatewayFactory(SessionPolicy.Factory policies, RoleMappings roleMappings) {
        this(policies, roleMappings, null);
    }

    /** As above, with the runner the policies tell of asynchronous jobs; it finds clusters through the server. */
    public SqlGatewayFactory(SessionPolicy.Factory policies, RoleMappings roleMappings, AsyncJobRunner jobs) {
        this.policies = policies;
        this.roleMappings = roleMappings;
        this.jobs = jobs;
    }

    @Override
    public SqlGateway start(DsqlLocalServer server) throws Exception {
        ServerConfig config = server.config();
        Path tlsDir = server.dataDir().resolve("tls");
        ServerTls tls = ServerTls.load(
                tlsDir, config.tlsCertificate(), config.tlsPrivateKey(), config.defaultRegion(), config.tlsHostnames());
        byte[] caPem = tls.caPem().getBytes(StandardCharsets.US_ASCII);
        server.localEndpoints().register(CA_PATH, () -> new LocalEndpoints.Content("application/x-pem-file", caPem));
        if (jobs != null) {
            ClusterDirectory clusters = server.clusterDirectory();
            jobs.useEndpoints(id -> clusters.find(id).flatMap(ClusterView::database));
        }
        // Optimistic concurrency (OC000/OC001) and injected faults run before whatever policy was configured.
        SessionPolicy.Factory sessions = perDatabase(policies, server.clusterDirectory(), server.faults());
        SqlGateway gateway = new SqlGateway(
                settings(config),
                tls,
                new FaultyClusterDirectory(server.clusterDirectory(), server.faults()),
                server.credentials(),
                roleMappings,
                sessions,
                Clock.systemUTC());
        try {
            return gateway.start(config.bindAddress(), config.sqlPort());
        } catch (InterruptedException | RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    /**
     * The concurrency policy keyed by the database a session's cluster serves, the rest by the cluster: peered
     * multi-Region clusters share one database, so DDL through one endpoint must give the other's sessions OC001
     * and end their open transactions exactly as on one cluster, while injected faults and the dialect stay per
     * cluster. The database is looked up once, when the session opens.
     */
    static SessionPolicy.Factory perDatabase(
            SessionPolicy.Factory policies, ClusterDirectory clusters, FaultRegistry faultRegistry) {
        CatalogVersions catalogs = new CatalogVersions();
        return new SessionPolicy.Factory() {
            @Override
            public SessionPolicy create(String clusterId, String user) {
                String database =
                        clusters.find(clusterId).map(ClusterView::databaseId).orElse(clusterId);
                CommitFaults faults = (ignored, tables) ->
                        faultRegistry.takeCommitConflict(clusterId, tables).map(code -> Conflict.valueOf(code.name()));
                SessionPolicy.Factory clusterPolicies = (ignored, sameUser) -> policies.create(clusterId, sameUser);
                return ConcurrencyPolicy.factory(clusterPolicies, faults, catalogs)
                        .create(database, user);
            }

            @Override
            public String sqlToRun(String written) {
                return policies.sqlToRun(written);
            }

            @Override
            public Optional<SessionPolicy.StartupRefusal> checkStartup(Map<String, String> parameters) {
                return policies.checkStartup(parameters);
            }
        };
    }

    /** The gateway's limits and timeouts as configured (the authentication timeout is PostgreSQL's default). */
    static GatewaySettings settings(ServerConfig config) {
        return new GatewaySettings(
                config.maxConnectionsPerCluster(),
                config.connectionRatePerSecond(),
                config.connectionBurst(),
                config.maxConnectionLifetime(),
                config.tokenClockSkew(),
                config.tlsHandshakeTimeout(),
                GatewaySettings.DEFAULT_AUTHENTICATION_TIMEOUT);
    }
}
