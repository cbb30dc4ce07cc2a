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
import java.net.InetSocketAddress;
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
 * The control-plane HTTP listener. Netty parses HTTP/1.1 and aggregates bodies (up to 1 MiB; the largest modelled
 * input, a policy, is 20 KiB); each request is handed to a small worker pool, because verification, validation and
 * the state file's fsync must not block the event loop.
 */
public final class HttpApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);
    private static final int MAX_BODY = 1024 * 1024;

    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup io = new NioEventLoopGroup(2);
    private final ExecutorService workers;
    private final Channel channel;

    private HttpApiServer(ApiDispatcher dispatcher, String bindAddress, int port) throws InterruptedException {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "api-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, io)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(MAX_BODY),
                                        new Handler(dispatcher, workers));
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
        return new HttpApiServer(dispatcher, bindAddress, port);
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

        Handler(ApiDispatcher dispatcher, ExecutorService workers) {
            this.dispatcher = dispatcher;
            this.workers = workers;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                FullHttpResponse bad =
                        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
                bad.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
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
                workers.execute(() -> respond(ctx, dispatcher.handle(method, uri, headers, body), keepAlive));
            } catch (RejectedExecutionException e) {
                ctx.close();
            }
        }

        private static void respond(ChannelHandlerContext ctx, ApiDispatcher.Response r, boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
            r.headers().forEach((k, v) -> response.headers().set(k, v));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("API connection error", cause);
            ctx.close();
        }
    }
}
