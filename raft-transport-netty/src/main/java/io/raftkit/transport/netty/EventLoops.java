package io.raftkit.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * One node's event-loop threads with the matching channel types: native epoll where available (Linux
 * with the native library on the class path), NIO everywhere else.
 */
record EventLoops(EventLoopGroup group, Class<? extends ServerChannel> serverChannelType,
                  Class<? extends Channel> channelType, String kind) {

    static EventLoops create(int threads, String nodeId, boolean epollAllowed) {
        // Daemon threads: a service that forgets to close the transport can still exit.
        DefaultThreadFactory threadFactory = new DefaultThreadFactory("raftkit-netty-" + nodeId, true);
        if (epollAllowed && Epoll.isAvailable()) {
            return new EventLoops(new MultiThreadIoEventLoopGroup(threads, threadFactory, EpollIoHandler.newFactory()),
                    EpollServerSocketChannel.class, EpollSocketChannel.class, "epoll");
        }
        return new EventLoops(new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory()),
                NioServerSocketChannel.class, NioSocketChannel.class, "nio");
    }
}
