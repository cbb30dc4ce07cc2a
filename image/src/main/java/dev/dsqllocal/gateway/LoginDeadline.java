package dev.dsqllocal.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that does not get through TLS within the handshake timeout, or through authentication
 * within the authentication timeout after that; removed once the session is established. Protects the listener
 * from clients that connect and stall (silent sockets, half a ClientHello, a missing password message).
 */
final class LoginDeadline extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(LoginDeadline.class);
    private final Duration handshakeTimeout;
    private final Duration authenticationTimeout;
    private ScheduledFuture<?> deadline;

    LoginDeadline(Duration handshakeTimeout, Duration authenticationTimeout) {
        this.handshakeTimeout = handshakeTimeout;
        this.authenticationTimeout = authenticationTimeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, handshakeTimeout, "TLS handshake");
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            arm(ctx, authenticationTimeout, "authentication");
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        disarm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    private void arm(ChannelHandlerContext ctx, Duration timeout, String phase) {
        disarm();
        deadline = ctx.executor()
                .schedule(
                        () -> {
                            LOG.debug(
                                    "Closing {}: no {} within {}", ctx.channel().remoteAddress(), phase, timeout);
                            ctx.close();
                        },
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
