package dev.dsqllocal.gateway;

import dev.dsqllocal.pgwire.PgFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client side of an established {@link ProxySession}: messages go to the backend. */
final class ClientRelayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRelayHandler.class);
    private final ProxySession session;
    private final PgFrameDecoder decoder;

    ClientRelayHandler(ProxySession session, PgFrameDecoder decoder) {
        this.session = session;
        this.decoder = decoder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        session.fromClient((ByteBuf) msg, decoder.lastType());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.fromClientDone();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        session.writabilityChanged();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
            session.fromClientDone(); // whole messages before the bad one still go out
            session.terminate(GatewayError.invalidMessageLength());
            return;
        }
        LOG.debug("Client connection error", cause);
        ctx.close();
    }
}
