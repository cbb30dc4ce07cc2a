package dev.dsqllocal.gateway;

import dev.dsqllocal.auth.AuthToken;
import dev.dsqllocal.auth.AuthTokenException;
import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.clusters.ClusterStatus;
import dev.dsqllocal.clusters.ClusterView;
import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.pgwire.BackendMessage.AuthenticationRequest;
import dev.dsqllocal.pgwire.BackendMessage.NegotiateProtocolVersion;
import dev.dsqllocal.pgwire.PasswordMessage;
import dev.dsqllocal.pgwire.StartupPacket;
import dev.dsqllocal.pgwire.StartupPacket.CancelRequest;
import dev.dsqllocal.pgwire.StartupPacket.StartupMessage;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.tls.ServerTls;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decrypted start of a session: StartupMessage, then cleartext-password authentication with a DSQL IAM token
 * (DSQL-BEHAVIOUR.md §1), routing to a cluster, the connection limits, and finally the hand-over to a {@link ProxySession}
 * that connects to the cluster's PostgreSQL. Every refusal is an ErrorResponse followed by a close.
 */
final class LoginHandler extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(LoginHandler.class);
    private static final String ADMIN = "admin";

    private enum State {
        AWAIT_TLS,
        STARTUP,
        PASSWORD,
        CONNECTING,
        FAILED
    }

    private final GatewayContext context;
    private final boolean directTls;
    private State state = State.AWAIT_TLS;
    private String sniHost;
    private String user;
    private String database;
    private final Map<String, String> backendParameters = new LinkedHashMap<>();

    private final long acceptedAt;

    LoginHandler(GatewayContext context, boolean directTls, long acceptedAt) {
        this.context = context;
        this.directTls = directTls;
        this.acceptedAt = acceptedAt;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SniCompletionEvent sni && sni.isSuccess()) {
            sniHost = sni.hostname();
        } else if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                LOG.debug(
                        "TLS handshake with {} failed: {}",
                        ctx.channel().remoteAddress(),
                        done.cause().toString());
                state = State.FAILED;
                ctx.close();
                return;
            }
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (directTls && (ssl == null || !ServerTls.ALPN_POSTGRESQL.equals(ssl.applicationProtocol()))) {
                // PostgreSQL 17 insists on ALPN for direct TLS, so a stray TLS client cannot be confused for one.
                fail(
                        ctx,
                        GatewayError.protocolViolation(
                                "received direct SSL connection request without ALPN protocol negotiation extension"));
                return;
            }
            state = State.STARTUP;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case STARTUP -> readStartup(ctx, in);
            case PASSWORD -> readPassword(ctx, in);
            case FAILED -> in.skipBytes(in.readableBytes());
            default -> {
                // Before TLS completes nothing decrypted arrives; while connecting the client has nothing to say,
                // and anything it pipelines stays buffered for the proxy.
            }
        }
    }

    private void readStartup(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 8 || length > StartupPacket.MAX_LENGTH) {
            fail(ctx, GatewayError.invalidStartupPacketLength());
            return;
        }
        if (in.readableBytes() < length) {
            return;
        }
        ByteBuf packet = in.readSlice(length);
        int code = packet.getInt(packet.readerIndex() + 4);
        if (code == StartupPacket.CANCEL_REQUEST && length == 16) {
            // A cancel over TLS (PostgreSQL 17 clients with sslnegotiation=direct).
            CancelRequest cancel = (CancelRequest) StartupPacket.decode(packet);
            CancelForwarder.forward(context, cancel.processId(), cancel.secret());
            state = State.FAILED;
            ctx.close();
            return;
        }
        if (code == StartupPacket.SSL_REQUEST || code == StartupPacket.GSSENC_REQUEST || code >>> 16 != 3) {
            fail(
                    ctx,
                    GatewayError.fatal(
                            "0A000",
                            "unsupported frontend protocol " + (code >>> 16) + "." + (code & 0xffff)
                                    + ": server supports 3.0 to 3.0"));
            return;
        }
        StartupMessage startup;
        try {
            startup = (StartupMessage) StartupPacket.decode(packet);
        } catch (IllegalArgumentException e) {
            fail(
                    ctx,
                    GatewayError.protocolViolation("invalid startup packet layout: expected terminator as last byte"));
            return;
        }
        List<String> unsupportedOptions = new ArrayList<>();
        for (Map.Entry<String, String> parameter : startup.parameters().entrySet()) {
            String name = parameter.getKey();
            String value = parameter.getValue();
            switch (name) {
                case "user" -> user = value;
                case "database" -> database = value;
                case "replication" -> {
                    if (!value.equalsIgnoreCase("false") && !value.equalsIgnoreCase("off") && !value.equals("0")) {
                        fail(ctx, GatewayError.accessDenied("Replication connections are not supported."));
                        return;
                    }
                }
                default -> {
                    if (name.startsWith("_pq_.")) {
                        unsupportedOptions.add(name);
                    } else {
                        backendParameters.put(name, value);
                    }
                }
            }
        }
        if (user == null || user.isEmpty()) {
            fail(ctx, GatewayError.fatal("28000", "no PostgreSQL user name specified in startup packet"));
            return;
        }
        if (database == null || database.isEmpty()) {
            database = user; // PostgreSQL's default, so a missing dbname fails the same way it does on DSQL.
        }
        if ((code & 0xffff) != 0 || !unsupportedOptions.isEmpty()) {
            ctx.write(new NegotiateProtocolVersion(StartupPacket.PROTOCOL_3_0, unsupportedOptions).encode(ctx.alloc()));
        }
        state = State.PASSWORD;
        ctx.writeAndFlush(new AuthenticationRequest(AuthenticationRequest.CLEARTEXT_PASSWORD).encode(ctx.alloc()));
    }

    private void readPassword(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < 5) {
            return;
        }
        int at = in.readerIndex();
        byte type = in.getByte(at);
        if (type != PasswordMessage.TYPE) {
            fail(ctx, GatewayError.protocolViolation("expected password response, got message type " + type));
            return;
        }
        int length = in.getInt(at + 1);
        if (length < 5 || length > PasswordMessage.MAX_LENGTH) {
            fail(ctx, GatewayError.invalidMessageLength());
            return;
        }
        if (in.readableBytes() < length + 1) {
            return;
        }
        ByteBuf message = in.readSlice(length + 1);
        String password;
        try {
            password = PasswordMessage.decode(message).password();
        } catch (IllegalArgumentException e) {
            fail(ctx, GatewayError.protocolViolation("invalid password packet size"));
            return;
        }
        state = State.CONNECTING;
        try {
            authenticate(ctx, password);
        } catch (RuntimeException e) {
            // A bug or a failing dependency: this connection gets an answer, the gateway carries on.
            LOG.error("Login failed unexpectedly for {}", ctx.channel().remoteAddress(), e);
            fail(ctx, GatewayError.fatal("08006", "unable to accept connection, internal error"));
        }
    }

    private void authenticate(ChannelHandlerContext ctx, String password) {
        AuthToken token;
        try {
            token = AuthToken.parse(password);
        } catch (AuthTokenException e) {
            fail(ctx, GatewayError.accessDenied(e.hint()));
            return;
        }
        Object routed = ClusterRouter.route(context.clusters(), token.host(), sniHost);
        if (routed instanceof GatewayError error) {
            fail(ctx, error);
            return;
        }
        ClusterView cluster = (ClusterView) routed;
        GatewayError unavailable = availability(cluster);
        if (unavailable != null) {
            fail(ctx, unavailable);
            return;
        }
        // Counted per database: peered clusters share one PostgreSQL, sized for --max-connections.
        Object granted = context.quotas().tryOpen(cluster.databaseId());
        if (granted instanceof GatewayError error) {
            fail(ctx, error);
            return;
        }
        ClusterQuotas.Lease lease = (ClusterQuotas.Lease) granted;
        ctx.channel().closeFuture().addListener(f -> lease.release());

        Principal principal;
        try {
            principal = context.verifier().verify(token);
        } catch (AuthTokenException e) {
            fail(ctx, GatewayError.accessDenied(e.hint()));
            return;
        }
        GatewayError denied = authorize(token, principal, cluster);
        if (denied != null) {
            fail(ctx, denied);
            return;
        }
        if (ADMIN.equals(user)) {
            open(ctx, principal, cluster);
            return;
        }
        // A custom role: the mapping lives in the cluster's database, so the answer comes back later.
        ctx.channel().config().setAutoRead(false);
        context.roleMappings()
                .refusal(cluster, user, principal)
                .whenComplete((hint, failure) -> ctx.executor().execute(() -> {
                    if (!ctx.channel().isActive()) {
                        return;
                    }
                    if (failure != null) {
                        LOG.warn(
                                "Could not look up the IAM mappings of cluster {}: {}",
                                cluster.identifier(),
                                failure.toString());
                        fail(ctx, GatewayError.accessDenied("IAM role mappings could not be read"));
                    } else if (hint.isPresent()) {
                        fail(ctx, GatewayError.accessDenied(hint.get()));
                    } else {
                        try {
                            open(ctx, principal, cluster);
                        } catch (RuntimeException e) {
                            LOG.error(
                                    "Login failed unexpectedly for {}",
                                    ctx.channel().remoteAddress(),
                                    e);
                            fail(ctx, GatewayError.fatal("08006", "unable to accept connection, internal error"));
                        }
                    }
                }));
    }

    /** The checks after authentication and authorization, then the connection to the cluster's PostgreSQL. */
    private void open(ChannelHandlerContext ctx, Principal principal, ClusterView cluster) {
        if (!"postgres".equals(database)) {
            fail(ctx, GatewayError.noSuchDatabase(database));
            return;
        }
        java.util.Optional<SessionPolicy.StartupRefusal> refusal =
                context.policies().checkStartup(backendParameters);
        if (refusal.isPresent()) {
            SessionPolicy.StartupRefusal r = refusal.get();
            fail(ctx, new GatewayError("FATAL", r.sqlState(), r.message(), r.hint()));
            return;
        }
        DatabaseEndpoint backend = cluster.database().orElse(null);
        if (backend == null) {
            fail(ctx, GatewayError.clusterUnavailable(cluster.identifier(), "not serving connections"));
            return;
        }
        ctx.channel().config().setAutoRead(false);
        LOG.debug("{} authenticated as {} on cluster {}", principal, user, cluster.identifier());
        new ProxySession(context, ctx.channel(), cluster.identifier(), user, backend, backendParameters)
                .connect(acceptedAt);
    }

    private static GatewayError availability(ClusterView cluster) {
        ClusterStatus status = cluster.status();
        return switch (status) {
            case ACTIVE, UPDATING -> null;
            case IDLE, INACTIVE -> GatewayError.wakingUp();
            default -> GatewayError.clusterUnavailable(cluster.identifier(), status.name());
        };
    }

    /** Region, account and user/action checks (DSQL-BEHAVIOUR.md §1.5, §1.7). */
    private GatewayError authorize(AuthToken token, Principal principal, ClusterView cluster) {
        if (!token.region().equals(cluster.region())) {
            // AWS's wording for a credential scoped to another region than the endpoint's.
            return GatewayError.accessDenied(
                    "Credential should be scoped to a valid region, not '" + token.region() + "'.");
        }
        if (!principal.accountId().equals(cluster.accountId())) {
            return GatewayError.accessDenied("User: " + principal.principalArn()
                    + " is not authorized to perform: dsql:"
                    + token.action() + " on resource: arn:aws:dsql:" + cluster.region() + ":" + cluster.accountId()
                    + ":cluster/" + cluster.identifier());
        }
        boolean adminUser = ADMIN.equals(user);
        if (adminUser != token.isAdmin()) {
            return GatewayError.accessDenied(
                    "Wrong user to action mapping. user: " + user + ", action: " + token.action());
        }
        return null; // custom roles: the IAM mapping is checked next (RoleMappings)
    }

    private void fail(ChannelHandlerContext ctx, GatewayError error) {
        state = State.FAILED;
        LOG.debug(
                "Refusing {}: {} {} {}",
                ctx.channel().remoteAddress(),
                error.sqlState(),
                error.message(),
                error.hint() == null ? "" : error.hint());
        ctx.writeAndFlush(error.response().encode(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets, TLS alerts, bad records: this connection ends, quietly (it is the client's problem, not ours).
        LOG.debug("Closing {} during login: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
