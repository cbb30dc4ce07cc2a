package dev.dsqllocal.gateway;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.pgwire.PgFrameDecoder;
import dev.dsqllocal.pgwire.StartupPacket;
import dev.dsqllocal.session.ClientRequest;
import dev.dsqllocal.session.ReplyTracker;
import dev.dsqllocal.session.RequestReader;
import dev.dsqllocal.session.ServerReply;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.sql.StatementInfo;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated client connection and its PostgreSQL backend connection. The backend channel runs on the
 * client's event loop, so both sides, the session's policy and every state change here are single-threaded.
 *
 * <p>Life: {@link #connect()} opens the backend and sends the StartupMessage; the {@link BackendHandler} relays
 * the backend's startup answers (swapping BackendKeyData for the gateway's own key) and calls
 * {@link #established()} at the first ReadyForQuery, which switches the client side to relaying. From then on
 * bytes flow both ways in whole messages, with reads on each side paused while the other side cannot take more
 * (so a large result never piles up in the gateway). Whichever side ends first ends the session.
 *
 * <p>With a policy that inspects messages (the DSQL dialect, optimistic concurrency), each client message is
 * decoded once into a typed message and, for Query and Parse, its SQL lexed and classified once
 * ({@link RequestReader}, which also keeps the one map of prepared statements and portals); the policy gets that
 * {@link ClientRequest} and may replace or drop it. Each server message is decoded once ({@link ServerReply}) the
 * same way, and matched by the one {@link ReplyTracker} to what it answers. Bytes a policy did not change go on as they came, never re-encoded. Without such a policy the relay
 * forwards whole bursts of messages untouched.
 */
final class ProxySession implements SessionPolicy.Session {
    /** Added to the backend's {@code options}: how long a statement may wait for a row or table lock. */
    static final String LOCK_TIMEOUT_OPTION = "-c lock_timeout=100ms";

    private static final Logger LOG = LoggerFactory.getLogger(ProxySession.class);
    private static final long BACKEND_CONNECT_RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** PostgreSQL's largest message is 1 GB; the backend side only guards against a corrupt stream. */
    private static final int MAX_BACKEND_MESSAGE = Integer.MAX_VALUE - 8;
    /** DSQL's maximum protocol message, 10 MiB (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html). */
    static final int MAX_CLIENT_MESSAGE = 10 * 1024 * 1024;

    private final GatewayContext context;
    private final Channel client;
    private final String clusterId;
    private final String user;
    private final DatabaseEndpoint backendEndpoint;
    private final Map<String, String> startupParameters;
    private final SessionPolicy policy;
    /** Null when the policy does not inspect messages. */
    private final RequestReader requests;
    /** Null when the policy does not inspect messages. */
    private final ReplyTracker replies;

    private Channel backend;
    private PgFrameDecoder backendDecoder;
    private int gatewayProcessId;
    private int backendProcessId;
    private int backendSecret;
    private boolean established;
    private boolean backendIdle;
    private boolean closed;
    /** The policy wrote to the client since the last flush (see {@link #fromClientDone}). */
    private boolean answersWritten;
    /** The policy holds the client's messages ({@link #holdClient}): they wait here, in order. */
    private boolean holdingClient;

    private final ArrayDeque<Held> heldFromClient = new ArrayDeque<>();

    /** A client message read while the policy holds the client: its bytes and, if it could be read, its request. */
    private record Held(ByteBuf message, ClientRequest request) {}

    private ScheduledFuture<?> lifetime;
    private long acceptedAt;
    private long backendStartedAt;

    ProxySession(
            GatewayContext context,
            Channel client,
            String clusterId,
            String user,
            DatabaseEndpoint backend,
            Map<String, String> clientParameters) {
        this.context = context;
        this.client = client;
        this.clusterId = clusterId;
        this.user = user;
        this.backendEndpoint = backend;
        this.startupParameters = new LinkedHashMap<>();
        startupParameters.put("user", user);
        startupParameters.put("database", "postgres");
        startupParameters.putAll(clientParameters);
        // DSQL never makes a transaction wait on another's row lock: a short lock wait, then the statement loses
        // (55P03, which the concurrency layer answers as DSQL's OC000). Appended, so the client's options stay.
        String options = startupParameters.get("options");
        startupParameters.put(
                "options",
                options == null || options.isBlank() ? LOCK_TIMEOUT_OPTION : options + " " + LOCK_TIMEOUT_OPTION);
        this.policy = context.policies().create(clusterId, user);
        this.requests = policy.inspectsMessages() ? new RequestReader(context.policies()::sqlToRun) : null;
        this.replies = policy.inspectsMessages() ? new ReplyTracker() : null;
    }

    void connect(long acceptedAt) {
        this.acceptedAt = acceptedAt;
        this.backendStartedAt = System.nanoTime();
        client.closeFuture().addListener(f -> clientClosed());
        backendDecoder = new PgFrameDecoder(MAX_BACKEND_MESSAGE, true);
        // Over the server's Unix socket when it has one (far cheaper per message than loopback TCP), else TCP.
        Optional<Path> unixSocket = backendEndpoint.unixSocket().filter(s -> Transport.domainSockets());
        Bootstrap bootstrap = new Bootstrap()
                .group(client.eventLoop())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast("frames", backendDecoder)
                                .addLast("backend", new BackendHandler(ProxySession.this));
                    }
                });
        SocketAddress address;
        if (unixSocket.isPresent()) {
            bootstrap.channel(Transport.domainSocketChannel());
            address = new DomainSocketAddress(unixSocket.get().toFile());
        } else {
            bootstrap.channel(Transport.socketChannel()).option(ChannelOption.TCP_NODELAY, true);
            address = new InetSocketAddress(backendEndpoint.host(), backendEndpoint.port());
        }
        openBackend(bootstrap, address, System.nanoTime());
    }

    /**
     * Connects to the cluster's PostgreSQL; a refused or failed connect is retried every 20 ms for up to 2 s. Under
     * a burst the server's listen queue overflows and a Unix-socket connect fails at once with EAGAIN although the
     * cluster is ACTIVE and will accept a moment later: that must not reach the client as "not available".
     */
    private void openBackend(Bootstrap bootstrap, SocketAddress address, long firstAttemptAt) {
        ChannelFuture connecting = bootstrap.connect(address);
        connecting.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                if (!closed && System.nanoTime() - firstAttemptAt < BACKEND_CONNECT_RETRY_NANOS) {
                    LOG.debug(
                            "Retrying PostgreSQL of cluster {}: {}",
                            clusterId,
                            f.cause().toString());
                    client.eventLoop()
                            .schedule(() -> openBackend(bootstrap, address, firstAttemptAt), 20, TimeUnit.MILLISECONDS);
                    return;
                }
                LOG.warn(
                        "Cannot reach PostgreSQL of cluster {} at {}: {}",
                        clusterId,
                        address,
                        f.cause().toString());
                failClient(GatewayError.clusterUnavailable(clusterId, "not reachable"));
                return;
            }
            backend = f.channel();
            context.sessions().backendConnections.incrementAndGet();
            backend.closeFuture().addListener(c -> {
                context.sessions().backendConnections.decrementAndGet();
                backendClosed();
            });
            if (closed) {
                backend.close(); // the client went away while we were connecting
                return;
            }
            backend.writeAndFlush(new StartupPacket.StartupMessage(StartupPacket.PROTOCOL_3_0, startupParameters)
                    .encode(backend.alloc()));
        });
    }

    // --- called by BackendHandler during the backend's startup ---

    /** Registers the backend's key and returns the gateway's BackendKeyData for the client. */
    ByteBuf exchangeBackendKey(int processId, int secret) {
        backendProcessId = processId;
        backendSecret = secret;
        int[] gatewaySecret = new int[1];
        gatewayProcessId = context.cancelKeys().register(backendEndpoint, processId, secret, gatewaySecret);
        return new BackendMessage.BackendKeyData(gatewayProcessId, gatewaySecret[0]).encode(client.alloc());
    }

    /** The backend is ready: relay from now on. */
    void established() {
        if (closed) {
            return;
        }
        established = true;
        backendIdle = true;
        context.timings().record(backendStartedAt - acceptedAt, System.nanoTime() - backendStartedAt);
        boolean perMessage = requests != null;
        backendDecoder.perMessage(perMessage);
        ChannelPipeline pipeline = client.pipeline();
        if (pipeline.get(LoginDeadline.class) != null) {
            pipeline.remove(LoginDeadline.class);
        }
        PgFrameDecoder clientDecoder = new PgFrameDecoder(MAX_CLIENT_MESSAGE, perMessage);
        pipeline.addAfter("login", "relay", new ClientRelayHandler(this, clientDecoder));
        // Replacing the login handler hands anything the client already pipelined to the new decoder.
        pipeline.replace("login", "frames", clientDecoder);
        Duration max = context.settings().maxConnectionLifetime();
        if (!max.isZero()) {
            lifetime = client.eventLoop()
                    .schedule(() -> terminate(GatewayError.lifetimeExceeded(max)), max.toNanos(), TimeUnit.NANOSECONDS);
        }
        client.config().setAutoRead(true);
    }

    // --- relay, both directions ---

    void fromClient(ByteBuf message, byte lastType) {
        if (backend == null || !backend.isActive()) {
            message.release();
            return;
        }
        // A burst that ends in Terminate leaves nothing running; anything else may start work on the backend.
        backendIdle = backendIdle && lastType == FrontendMessage.TERMINATE;
        if (requests == null) {
            backend.write(message, backend.voidPromise());
            return;
        }
        ClientRequest request;
        try {
            request = requests.read(FrontendMessage.decode(message));
        } catch (IllegalArgumentException e) {
            // A malformed message is PostgreSQL's to reject, with its own error.
            LOG.debug("Passing on a client message the gateway cannot read: {}", e.getMessage());
            request = null;
        }
        if (holdingClient) {
            heldFromClient.add(new Held(message, request));
            client.config().setAutoRead(false); // what is already read waits; nothing more is read meanwhile
            return;
        }
        dispatch(message, request);
    }

    /** Hands a client request to the policy and sends what it decided (a message that could not be read: as is). */
    private void dispatch(ByteBuf message, ClientRequest request) {
        if (request == null) {
            backend.write(message, backend.voidPromise());
            return;
        }
        try {
            policy.onClient(this, request);
        } catch (RuntimeException e) {
            message.release();
            policyFailed(e);
            return;
        }
        if (request.heldBack()) {
            request.unhold();
            heldFromClient.addFirst(new Held(message, request));
            client.config().setAutoRead(false);
            return;
        }
        replies.sent(request);
        if (request.forwarded() && !request.sqlChanged()) {
            backend.write(message, backend.voidPromise());
            return;
        }
        message.release();
        if (request.forwarded()) {
            toServer(request.messageToRun());
        } else {
            request.replacement().forEach(this::toServer);
        }
    }

    void fromClientDone() {
        if (answersWritten) {
            // Only when there is something: a flush through the SslHandler with nothing pending still costs a wrap
            // and a promise, on every request.
            answersWritten = false;
            client.flush(); // answers the policy wrote itself
        }
        if (backend != null) {
            backend.flush();
            if (!backend.isWritable()) {
                client.config().setAutoRead(false);
            }
        }
    }

    void fromServer(ByteBuf message) {
        if (!client.isActive()) {
            message.release();
            return;
        }
        if (requests == null) {
            client.write(message, client.voidPromise());
            return;
        }
        ServerReply reply;
        try {
            reply = new ServerReply(BackendMessage.decode(message));
        } catch (IllegalArgumentException e) {
            LOG.debug("Passing on a server message the gateway cannot read: {}", e.getMessage());
            client.write(message, client.voidPromise());
            return;
        }
        replies.track(reply);
        try {
            policy.onServer(this, reply);
        } catch (RuntimeException e) {
            message.release();
            policyFailed(e);
            return;
        }
        if (reply.dropped()) {
            message.release();
        } else if (reply.replaced()) {
            message.release();
            client.write(reply.message().encode(client.alloc()), client.voidPromise());
        } else {
            client.write(message, client.voidPromise());
        }
    }

    void fromServerDone() {
        backendIdle = backendDecoder.lastType() == BackendMessage.READY_FOR_QUERY;
        if (requests != null && backend != null) {
            backend.flush(); // requests the policy injected itself
        }
        answersWritten = false;
        client.flush();
        if (!client.isWritable() && backend != null) {
            backend.config().setAutoRead(false);
        }
    }

    /** A bug in a policy ends its session with an internal error, never the gateway. */
    private void policyFailed(RuntimeException e) {
        LOG.error("Session policy failed on cluster {}; closing the session", clusterId, e);
        terminate(GatewayError.fatal("XX000", "internal error in the DSQL Local gateway: " + e));
    }

    /** One side drained its outbound buffer: let the other side read again. */
    void writabilityChanged() {
        if (backend == null) {
            return;
        }
        if (established && client.isWritable()) {
            backend.config().setAutoRead(true);
        }
        if (established && backend.isWritable() && !holdingClient) {
            client.config().setAutoRead(true);
        }
    }

    /** Writes a message straight to the client (used during backend startup, when no policy applies). */
    void toClientDuringStartup(ByteBuf message) {
        client.write(message, client.voidPromise());
    }

    void flushClient() {
        client.flush();
    }

    // --- SessionPolicy.Session ---

    @Override
    public String clusterId() {
        return clusterId;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public void toClient(BackendMessage message) {
        answersWritten = true;
        client.write(message.encode(client.alloc()), client.voidPromise());
    }

    @Override
    public void sendOwn(SessionPolicy by, FrontendMessage.Query query) {
        replies.sentOwn(by, query);
        toServer(query);
    }

    @Override
    public void sendOwn(SessionPolicy by, List<FrontendMessage> messages) {
        replies.sentOwn(by, messages);
        messages.forEach(this::toServer);
    }

    @Override
    public void sendForClient(SessionPolicy by, List<ClientRequest.Part> parts) {
        replies.sentForClient(by, parts);
        toServer(new FrontendMessage.Query(ClientRequest.Part.join(parts)));
    }

    @Override
    public int backendProcessId() {
        return backendProcessId;
    }

    @Override
    public boolean awaitingReplies() {
        return replies.awaitingReplies();
    }

    @Override
    public List<StatementInfo> statementsInFlight() {
        return replies.statementsInFlight();
    }

    @Override
    public void holdClient() {
        holdingClient = true;
    }

    @Override
    public void resumeClient() {
        holdingClient = false;
        client.eventLoop().execute(this::releaseHeld);
    }

    /** The held client messages go their way, as if they had just been read, until the policy holds again. */
    private void releaseHeld() {
        if (closed || holdingClient) {
            return;
        }
        while (!holdingClient && !heldFromClient.isEmpty() && backend != null && backend.isActive()) {
            Held held = heldFromClient.poll();
            dispatch(held.message(), held.request());
        }
        fromClientDone();
        if (!holdingClient && backend != null && backend.isWritable()) {
            client.config().setAutoRead(true);
        }
    }

    private void toServer(FrontendMessage message) {
        backend.write(message.encode(backend.alloc()), backend.voidPromise());
    }

    @Override
    public void execute(Runnable task) {
        try {
            client.eventLoop().execute(() -> {
                if (closed || !established || backend == null || !backend.isActive()) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    policyFailed(e);
                    return;
                }
                backend.flush();
                client.flush();
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Session task on cluster {} not run: the gateway is shutting down", clusterId);
        }
    }

    // --- endings ---

    /** Ends the session with an error the client sees (ErrorResponse, then close). */
    void terminate(GatewayError error) {
        if (closed) {
            return;
        }
        LOG.debug("Terminating session on cluster {}: {}", clusterId, error.message());
        failClient(error);
    }

    /** The client gets the backend's own ErrorResponse (already written) and the session closes. */
    void backendRefused() {
        client.writeAndFlush(client.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
    }

    private void failClient(GatewayError error) {
        client.writeAndFlush(error.response().encode(client.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    private void clientClosed() {
        if (closed) {
            return;
        }
        closed = true;
        heldFromClient.forEach(held -> held.message().release());
        heldFromClient.clear();
        if (lifetime != null) {
            lifetime.cancel(false);
        }
        if (gatewayProcessId != 0) {
            context.cancelKeys().unregister(gatewayProcessId);
        }
        if (backend != null && backend.isActive()) {
            if (established && !backendIdle) {
                // The client vanished mid-query: stop the query, or PostgreSQL would run it to the end before it
                // notices the closed socket.
                CancelForwarder.sendToBackend(
                        context, new CancelKeys.Target(0, backendEndpoint, backendProcessId, backendSecret));
            }
            backend.writeAndFlush(FrontendMessage.Terminate.INSTANCE.encode(backend.alloc()))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        policy.onClose(this);
    }

    private void backendClosed() {
        if (client.isActive()) {
            // Anything the backend said last (e.g. a FATAL error) is already queued; deliver it, then close.
            client.writeAndFlush(client.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
