package dev.dsqllocal.controlplane;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the open API connections (each holds buffers and a file descriptor): one over the limit is answered 503
 * and closed at once, so a flood of idle or slow clients cannot exhaust the process's descriptors.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private final int max;
    private final ApiDispatcher dispatcher;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimit(int max, ApiDispatcher dispatcher) {
        this.max = max;
        this.dispatcher = dispatcher;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            ApiDispatcher.Response busy = dispatcher.refusal(new ApiException(
                    503,
                    "ServiceUnavailableException",
                    "Too many open connections to the API (" + max + "); retry later.",
                    Map.of()));
            ctx.channel().config().setAutoRead(false);
            ctx.channel().writeAndFlush(HttpApiServer.toHttp(busy, false)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    /** Connections open now (refused ones until they are closed). */
    int open() {
        return open.get();
    }
}
