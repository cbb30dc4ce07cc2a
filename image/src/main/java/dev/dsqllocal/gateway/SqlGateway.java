package dev.dsqllocal.gateway;

import dev.dsqllocal.auth.AuthTokenVerifier;
import dev.dsqllocal.auth.CredentialStore;
import dev.dsqllocal.clusters.ClusterDirectory;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL endpoint: one listener speaking the PostgreSQL protocol over TLS, authenticating DSQL IAM tokens and
 * proxying each session to its cluster's PostgreSQL server (see {@link PlaintextNegotiator}, {@link LoginHandler},
 * {@link ProxySession}). Each connection lives on one event loop thread with its backend connection.
 */
public final class SqlGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqlGateway.class);
    /** Pause reading the other side above 1 MiB queued, resume below 256 KiB. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final GatewayContext context;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private boolean closed;
    private Channel listener;

    public SqlGateway(
            GatewaySettings settings,
            ServerTls tls,
            ClusterDirectory clusters,
            CredentialStore credentials,
            RoleMappings roleMappings,
            SessionPolicy.Factory policies,
            Clock clock) {
        this.boss = Transport.group(1, new DefaultThreadFactory("dsql-gateway-accept", true));
        this.workers = Transport.group(0, new DefaultThreadFactory("dsql-gateway", true));
        AuthTokenVerifier verifier = new AuthTokenVerifier(credentials, clock, settings.tokenClockSkew());
        this.context = new GatewayContext(
                settings,
                tls,
                clusters,
                credentials,
                verifier,
                roleMappings,
                policies,
                new ClusterQuotas(
                        settings.maxConnectionsPerCluster(),
                        settings.connectionRatePerSecond(),
                        settings.connectionBurst(),
                        System::nanoTime),
                new CancelKeys(),
                workers,
                new SessionCounter(),
                new SetupTimings());
    }

    /** Binds the listener; port 0 picks a free one (see {@link #port()}). */
    public SqlGateway start(String bindAddress, int port) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        context.sessions().clientConnections.incrementAndGet();
                        ch.closeFuture()
                                .addListener(f ->
                                        context.sessions().clientConnections.decrementAndGet());
                        ch.pipeline()
                                .addLast("negotiate", new PlaintextNegotiator(context))
                                .addLast(
                                        "deadline",
                                        new LoginDeadline(
                                                context.settings().tlsHandshakeTimeout(),
                                                context.settings().authenticationTimeout()));
                    }
                });
        listener = bootstrap.bind(bindAddress, port).sync().channel();
        LOG.info("SQL gateway listening on {} ({})", listener.localAddress(), Transport.name());
        return this;
    }

    /** The port the listener is bound to. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Open client connections (any phase); for tests and diagnostics. */
    public int clientConnections() {
        return context.sessions().clientConnections.get();
    }

    /** Open connections to PostgreSQL servers; for tests and diagnostics. */
    public int backendConnections() {
        return context.sessions().backendConnections.get();
    }

    /** Open sessions counted against a cluster's connection limit. */
    public int openConnections(String clusterId) {
        return context.quotas().openConnections(clusterId);
    }

    /** How long recent connection setups took inside the gateway. */
    public SetupTimings setupTimings() {
        return context.timings();
    }

    /** Stops listening and closes every connection; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
