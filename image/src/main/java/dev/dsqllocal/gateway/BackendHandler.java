package dev.dsqllocal.gateway;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.BackendMessage.AuthenticationRequest;
import dev.dsqllocal.pgwire.BackendMessage.BackendKeyData;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL side of a {@link ProxySession}: relays the backend's startup answers (AuthenticationOk,
 * ParameterStatus, notices; BackendKeyData replaced by the gateway's key), then every message to the client.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BackendHandler.class);
    private static final String TOO_MANY_CONNECTIONS = "53300";
    private final ProxySession session;
    private boolean started;

    BackendHandler(ProxySession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf message = (ByteBuf) msg;
        if (started) {
            session.fromServer(message);
            return;
        }
        byte type = message.getByte(message.readerIndex());
        switch (type) {
            case BackendMessage.AUTHENTICATION -> {
                int code = ((AuthenticationRequest) BackendMessage.decode(message)).code();
                if (code != AuthenticationRequest.OK) {
                    message.release();
                    LOG.error(
                            "PostgreSQL asked the gateway for authentication (method {}); it must trust loopback",
                            code);
                    session.terminate(GatewayError.fatal(
                            "08006", "unable to accept connection, internal error (backend requires authentication)"));
                    ctx.close();
                    return;
                }
                session.toClientDuringStartup(message);
            }
            case BackendMessage.BACKEND_KEY_DATA -> {
                BackendKeyData key = (BackendKeyData) BackendMessage.decode(message);
                message.release();
                session.toClientDuringStartup(session.exchangeBackendKey(key.processId(), key.secret()));
            }
            case BackendMessage.ERROR_RESPONSE -> {
                if (TOO_MANY_CONNECTIONS.equals(
                        ((BackendMessage.ErrorResponse) BackendMessage.decode(message.duplicate()))
                                .fields()
                                .get('C'))) {
                    // PostgreSQL's slots are sized to the gateway's limit, so this is a safety net: a client never
                    // sees PostgreSQL's "reserved for roles with the SUPERUSER attribute", only DSQL's text.
                    message.release();
                    session.terminate(GatewayError.tooManyConnections());
                    ctx.close();
                    return;
                }
                session.toClientDuringStartup(message);
                session.backendRefused();
                ctx.close();
            }
            case BackendMessage.READY_FOR_QUERY -> {
                started = true;
                session.toClientDuringStartup(message);
                session.flushClient();
                session.established();
            }
            default -> session.toClientDuringStartup(message);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (started) {
            session.fromServerDone();
        } else {
            session.flushClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        session.writabilityChanged();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Backend connection error", cause);
        ctx.close();
    }
}
