package dev.dsqllocal.gateway;

import dev.dsqllocal.pgwire.StartupPacket;
import dev.dsqllocal.pgwire.StartupPacket.CancelRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SniHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first bytes of a connection, before TLS. DSQL speaks only TLS, so this answers {@code SSLRequest} with
 * {@code S}, starts TLS at once for a direct-TLS ClientHello (PostgreSQL 17 {@code sslnegotiation=direct},
 * pgJDBC {@code sslNegotiation=direct}), answers {@code GSSENCRequest} with {@code N}, serves a plaintext
 * {@code CancelRequest} (pgJDBC sends cancels on a fresh plain socket) and refuses a plaintext StartupMessage.
 * It then replaces itself with the TLS handler; the {@link LoginHandler} after it sees the decrypted stream.
 */
final class PlaintextNegotiator extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(PlaintextNegotiator.class);
    private final GatewayContext context;
    private final long acceptedAt = System.nanoTime();
    private boolean done;

    PlaintextNegotiator(GatewayContext context) {
        this.context = context;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int at = in.readerIndex();
        if (in.getByte(at) == StartupPacket.TLS_HANDSHAKE_RECORD) {
            startTls(ctx, true);
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(at);
        if (length < 8 || length > StartupPacket.MAX_LENGTH) {
            refuse(ctx, in, GatewayError.invalidStartupPacketLength());
            return;
        }
        if (in.readableBytes() < length) {
            return;
        }
        int code = in.getInt(at + 4);
        switch (code) {
            case StartupPacket.SSL_REQUEST -> {
                if (length != 8) {
                    refuse(ctx, in, GatewayError.invalidStartupPacketLength());
                    return;
                }
                in.skipBytes(8);
                // Written before the TLS handler is in the pipeline, so it goes out in the clear.
                ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('S'));
                startTls(ctx, false);
            }
            case StartupPacket.GSSENC_REQUEST -> {
                in.skipBytes(length);
                ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte('N'));
            }
            case StartupPacket.CANCEL_REQUEST -> {
                if (length != 16) {
                    refuse(ctx, in, GatewayError.invalidStartupPacketLength());
                    return;
                }
                CancelRequest cancel = (CancelRequest) StartupPacket.decode(in.slice(at, length));
                in.skipBytes(in.readableBytes());
                done = true;
                CancelForwarder.forward(context, cancel.processId(), cancel.secret());
                ctx.close();
            }
            default -> {
                int major = code >>> 16;
                refuse(
                        ctx,
                        in,
                        major == 3
                                ? GatewayError.tlsRequired()
                                : GatewayError.fatal(
                                        "0A000",
                                        "unsupported frontend protocol " + major + "." + (code & 0xffff)
                                                + ": server supports 3.0 to 3.0"));
            }
        }
    }

    private void startTls(ChannelHandlerContext ctx, boolean direct) {
        done = true;
        ctx.pipeline().addAfter(ctx.name(), "login", new LoginHandler(context, direct, acceptedAt));
        // Every name maps to the one context; the SNI handler is there to learn the name the client asked for.
        SniHandler sni = new SniHandler(
                name -> context.tls().sslContext(),
                context.settings().tlsHandshakeTimeout().toMillis());
        ctx.pipeline().replace(this, "tls", sni);
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, GatewayError error) {
        done = true;
        LOG.debug("Refusing {} before TLS: {}", ctx.channel().remoteAddress(), error.message());
        in.skipBytes(in.readableBytes());
        ctx.writeAndFlush(error.response().encode(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets, TLS alerts, bad records: this connection ends, quietly (it is the client's problem, not ours).
        LOG.debug("Closing {} during login: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
