package dev.dsqllocal.gateway;

import dev.dsqllocal.pgwire.StartupPacket.CancelRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a client's CancelRequest to the PostgreSQL server of the session it names, with the backend's own key.
 * Unknown keys are ignored silently, as PostgreSQL does (a client learns nothing about other sessions).
 */
final class CancelForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(CancelForwarder.class);

    private CancelForwarder() {}

    static void forward(GatewayContext context, int processId, int secret) {
        context.cancelKeys()
                .find(processId, secret)
                .ifPresentOrElse(
                        target -> sendToBackend(context, target),
                        () -> LOG.debug("Ignoring a cancel request for an unknown session key"));
    }

    static void sendToBackend(GatewayContext context, CancelKeys.Target target) {
        new Bootstrap()
                .group(context.workers())
                .channel(Transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(target.backend().host(), target.backend().port())
                .addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        LOG.debug("Could not forward a cancel request", connected.cause());
                        return;
                    }
                    connected
                            .channel()
                            .writeAndFlush(new CancelRequest(target.backendProcessId(), target.backendSecret())
                                    .encode(connected.channel().alloc()))
                            .addListener(ChannelFutureListener.CLOSE);
                });
    }
}
