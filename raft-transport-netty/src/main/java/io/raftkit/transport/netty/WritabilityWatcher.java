package io.raftkit.transport.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Tells its owner when a connection can take writes again, and nothing else: the peer's queue stops
 * feeding a connection whose outbound buffer passed its high-water mark and resumes here.
 */
final class WritabilityWatcher extends ChannelInboundHandlerAdapter {

    private final Runnable onWritable;

    WritabilityWatcher(Runnable onWritable) {
        this.onWritable = onWritable;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            onWritable.run();
        }
        ctx.fireChannelWritabilityChanged();
    }
}
