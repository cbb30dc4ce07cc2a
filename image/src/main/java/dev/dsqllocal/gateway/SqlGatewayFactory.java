package dev.dsqllocal.gateway;

import dev.dsqllocal.contract.ServerContract;
import dev.dsqllocal.concurrency.CatalogVersions;
import dev.dsqllocal.concurrency.ConcurrencyInterceptor;
import dev.dsqllocal.faults.FaultyClusterDirectory;

import dev.dsqllocal.controlplane.LocalEndpoints;
import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.ServerConfig;
import dev.dsqllocal.tls.ServerTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Plugs the SQL gateway into the running emulator: TLS material in {@code <dataDir>/tls} (the ephemeral
 * directory when there is no data dir), the CA served at {@code /dsql-local/ca.pem}, the listener on
 * {@code --bind-address}:{@code --sql-port}, clusters from the server's directory and credentials from its store.
 */
public final class SqlGatewayFactory implements DsqlLocalServer.GatewayFactory {
    public static final String CA_PATH = ServerContract.CA_PATH;

    private final ProtocolInterceptor.Factory interceptors;
    private final RoleMappings roleMappings;

    /** The gateway as shipped today: pass-through proxy, no custom-role mappings yet. */
    public SqlGatewayFactory() {
        this(ProtocolInterceptor.Factory.PASS_THROUGH, RoleMappings.NONE);
    }

    public SqlGatewayFactory(ProtocolInterceptor.Factory interceptors, RoleMappings roleMappings) {
        this.interceptors = interceptors;
        this.roleMappings = roleMappings;
    }

    @Override
    public DsqlLocalServer.SqlGateway start(DsqlLocalServer server) throws Exception {
        ServerConfig config = server.config();
        Path tlsDir = server.dataDir().resolve("tls");
        ServerTls tls = ServerTls.load(tlsDir, config.tlsCertificate(), config.tlsPrivateKey(),
                config.defaultRegion(), config.tlsHostnames());
        byte[] caPem = tls.caPem().getBytes(StandardCharsets.US_ASCII);
        server.localEndpoints().register(CA_PATH,
                () -> new LocalEndpoints.Content("application/x-pem-file", caPem));
        // Optimistic concurrency (OC000/OC001) and injected faults wrap whatever interceptor was configured.
        ProtocolInterceptor.Factory sessions = ConcurrencyInterceptor.factory(interceptors, server.faults(),
                new CatalogVersions());
        SqlGateway gateway = new SqlGateway(GatewaySettings.from(config), tls,
                new FaultyClusterDirectory(server.clusterDirectory(), server.faults()),
                server.credentials(), roleMappings, sessions, Clock.systemUTC());
        gateway.start(config.bindAddress(), config.sqlPort());
        return new DsqlLocalServer.SqlGateway() {
            @Override
            public int port() {
                return gateway.port();
            }

            @Override
            public void close() {
                gateway.close();
            }
        };
    }
}
