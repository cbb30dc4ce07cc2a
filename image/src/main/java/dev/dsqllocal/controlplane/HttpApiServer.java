package dev.dsqllocal.controlplane;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-plane HTTP listener. Netty parses HTTP/1.1 and aggregates bodies; each request is handed to a small
 * worker pool, because verification, validation and the state file's fsync must not block the event loop. Every
 * bound is one of Netty's own handlers: the codec's line and header limits (414, 431), the aggregator's body limit
 * (413), an {@link IdleStateHandler} for requests that stop arriving (408) and idle keep-alive connections, and
 * {@link ConnectionLimit} for the number of open connections (503).
 */
public final class HttpApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);

    /**
     * The listener's bounds. {@code maxBody}: the largest modelled input, a policy, is 20 KiB, so 1 MiB is ample.
     * {@code requestTimeout}: how long a started request may send nothing. {@code idleTimeout}: how long a
     * keep-alive connection may sit between requests (the AWS SDKs' pools drop theirs sooner).
     */
    public record Limits(
            int maxConnections,
            int maxInitialLine,
            int maxHeaderSize,
            int maxBody,
            Duration requestTimeout,
            Duration idleTimeout) {
        public static final Limits DEFAULTS =
                new Limits(512, 8 * 1024, 16 * 1024, 1024 * 1024, Duration.ofSeconds(20), Duration.ofSeconds(60));
    }

    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup io = new NioEventLoopGroup(2);
    private final ExecutorService workers;
    private final Channel channel;

    private HttpApiServer(ApiDispatcher dispatcher, String bindAddress, int port, Limits limits)
            throws InterruptedException {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "api-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ConnectionLimit connectionLimit = new ConnectionLimit(limits.maxConnections(), dispatcher);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, io)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RequestProgress progress = new RequestProgress(dispatcher);
                        ch.pipeline()
                                .addLast(
                                        connectionLimit,
                                        new IdleStateHandler(
                                                limits.requestTimeout().toMillis(),
                                                0,
                                                limits.idleTimeout().toMillis(),
                                                TimeUnit.MILLISECONDS),
                                        progress,
                                        new HttpServerCodec(limits.maxInitialLine(), limits.maxHeaderSize(), 8 * 1024),
                                        new HttpObjectAggregator(limits.maxBody()),
                                        new Handler(dispatcher, workers, progress));
                    }
                });
        try {
            this.channel = bootstrap
                    .bind(new InetSocketAddress(bindAddress, port))
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            shutdownGroups();
            throw e;
        }
    }

    public static HttpApiServer start(ApiDispatcher dispatcher, String bindAddress, int port)
            throws InterruptedException {
        return start(dispatcher, bindAddress, port, Limits.DEFAULTS);
    }

    public static HttpApiServer start(ApiDispatcher dispatcher, String bindAddress, int port, Limits limits)
            throws InterruptedException {
        return new HttpApiServer(dispatcher, bindAddress, port, limits);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownNow();
        shutdownGroups();
    }

    private void shutdownGroups() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ApiDispatcher dispatcher;
        private final ExecutorService workers;
        private final RequestProgress progress;

        Handler(ApiDispatcher dispatcher, ExecutorService workers, RequestProgress progress) {
            this.dispatcher = dispatcher;
            this.workers = workers;
            this.progress = progress;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            progress.requestComplete();
            if (!request.decoderResult().isSuccess()) {
                Throwable cause = request.decoderResult().cause();
                int status = cause instanceof TooLongHttpLineException
                        ? 414
                        : cause instanceof TooLongHttpHeaderException ? 431 : 400;
                String reason =
                        cause == null || cause.getMessage() == null ? "malformed HTTP request" : cause.getMessage();
                ApiDispatcher.Response bad = dispatcher.refusal(new ApiException(
                        status, "BadRequestException", "The request could not be parsed: " + reason, Map.of()));
                respond(ctx, bad, false, progress);
                return;
            }
            String method = request.method().name();
            String uri = request.uri();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            request.headers()
                    .forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(h.getValue()));
            byte[] body = ByteBufUtil.getBytes(request.content());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            try {
                workers.execute(() -> respond(ctx, dispatcher.handle(method, uri, headers, body), keepAlive, progress));
            } catch (RejectedExecutionException e) {
                ctx.close();
            }
        }

        private static void respond(
                ChannelHandlerContext ctx, ApiDispatcher.Response r, boolean keepAlive, RequestProgress progress) {
            ChannelFutureListener done = f -> progress.responseSent();
            if (keepAlive) {
                ctx.writeAndFlush(toHttp(r, true)).addListener(done);
            } else {
                ctx.writeAndFlush(toHttp(r, false)).addListener(done).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("API connection error", cause);
            ctx.close();
        }
    }

    static FullHttpResponse toHttp(ApiDispatcher.Response r, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        r.headers().forEach((k, v) -> response.headers().set(k, v));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }
}
