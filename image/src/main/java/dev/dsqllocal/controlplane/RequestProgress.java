package dev.dsqllocal.controlplane;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the {@link io.netty.handler.timeout.IdleStateHandler}'s events into the API's two timeouts. It sits before
 * the HTTP codec, so it sees every byte: a request whose bytes stopped arriving before it was complete (partial
 * headers, a body shorter than its Content-Length) gets 408 and the connection closes at the reader timeout; a
 * keep-alive connection with nothing in flight closes at the idle timeout. A request being worked on is never cut.
 */
final class RequestProgress extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RequestProgress.class);

    private final ApiDispatcher dispatcher;
    // Touched only on the channel's event loop, except responseSent (a write listener: also the event loop).
    private boolean partial;
    private boolean inFlight;

    RequestProgress(ApiDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!inFlight) {
            partial = true;
        }
        ctx.fireChannelRead(msg);
    }

    /** The aggregator produced a whole request: from now on it is the worker's, not the client's, time. */
    void requestComplete() {
        partial = false;
        inFlight = true;
    }

    void responseSent() {
        inFlight = false;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (!(evt instanceof IdleStateEvent idle)) {
            super.userEventTriggered(ctx, evt);
            return;
        }
        if (inFlight) {
            return;
        }
        if (idle.state() == IdleState.READER_IDLE && partial) {
            LOG.debug(
                    "Closing {}: request incomplete after the read timeout",
                    ctx.channel().remoteAddress());
            partial = false;
            inFlight = true; // nothing more is read from this connection
            ApiDispatcher.Response timeout = dispatcher.refusal(new ApiException(
                    408, "RequestTimeoutException", "The request was not completed within the timeout.", Map.of()));
            // Through the whole pipeline (the codec is after this handler), then closed.
            ctx.channel().writeAndFlush(HttpApiServer.toHttp(timeout, false)).addListener(ChannelFutureListener.CLOSE);
        } else if (idle.state() == IdleState.ALL_IDLE && !partial) {
            LOG.debug("Closing idle keep-alive connection {}", ctx.channel().remoteAddress());
            ctx.close();
        }
    }
}
