package dev.dsqllocal.gateway;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * Native epoll on Linux (fewer system calls and copies per relayed message than NIO, which matters for a proxy
 * that adds two socket hops to every query), NIO everywhere else. Backend and client channels of a session must
 * use the same transport, since they share an event loop.
 */
final class Transport {
    private static final boolean EPOLL = Epoll.isAvailable() && !Boolean.getBoolean("dsqllocal.gateway.nio");

    private Transport() {}

    static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    static EventLoopGroup group(int threads, ThreadFactory factory) {
        return EPOLL ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Whether backend connections may use Unix domain sockets (epoll only: NIO's are Java 16+ and Netty 4.1 has
     * no channel for them). {@code -Ddsqllocal.gateway.backendTcp=true} keeps TCP, e.g. to compare the two.
     */
    static boolean domainSockets() {
        return EPOLL && !Boolean.getBoolean("dsqllocal.gateway.backendTcp");
    }

    static Class<? extends Channel> domainSocketChannel() {
        return EpollDomainSocketChannel.class;
    }
}
