package io.raftkit.transport.netty;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.transport.netty.wire.Frame;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises a protobuf {@link Frame}, or an {@link AppendRequest} as the frame that carries it (written by
 * {@link AppendFrameCodec}), into a buffer of exactly its size, and nothing else.
 *
 * <p>It writes straight into an I/O (usually direct) buffer, so a payload is copied once, from its
 * array into the buffer the socket writes from. A frame larger than the peer accepts would only get the
 * connection closed, so it is dropped here instead, logged and counted.
 */
@Sharable
final class WireEncoder extends ChannelOutboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(WireEncoder.class);

    private final int maxFrameBytes;
    private final Runnable onOversized;

    /**
     * @param maxFrameBytes the largest frame body to send
     * @param onOversized told for each frame dropped for its size
     */
    WireEncoder(int maxFrameBytes, Runnable onOversized) {
        this.maxFrameBytes = maxFrameBytes;
        this.onOversized = onOversized;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws IOException {
        if (msg instanceof Frame frame) {
            int size = frame.getSerializedSize();
            if (fits(ctx, frame.getBodyCase(), size, promise)) {
                ctx.write(serialise(ctx, size, frame::writeTo), promise);
            }
        } else if (msg instanceof AppendRequest a) {
            AppendFrameCodec.Sized sized = new AppendFrameCodec.Sized(a);
            if (fits(ctx, Frame.BodyCase.APPEND_REQUEST, sized.size, promise)) {
                ctx.write(serialise(ctx, sized.size, sized::writeTo), promise);
            }
        } else {
            ctx.write(msg, promise);
        }
    }

    /** False, after logging, counting and completing {@code promise}, when a frame of {@code size} is too large. */
    private boolean fits(ChannelHandlerContext ctx, Frame.BodyCase body, int size, ChannelPromise promise) {
        if (size <= maxFrameBytes) {
            return true;
        }
        LOG.warn("dropping a {} frame of {} bytes to {}: the maximum frame size is {} bytes",
                body, size, ctx.channel().remoteAddress(), maxFrameBytes);
        onOversized.run();
        promise.trySuccess();
        return false;
    }

    @FunctionalInterface
    private interface FrameWriter {
        void writeTo(CodedOutputStream out) throws IOException;
    }

    private static ByteBuf serialise(ChannelHandlerContext ctx, int size, FrameWriter frame) throws IOException {
        ByteBuf buf = ctx.alloc().ioBuffer(size, size);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buf.nioBuffer(buf.writerIndex(), size));
            frame.writeTo(out);
            out.flush();
            buf.writerIndex(buf.writerIndex() + size);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
        return buf;
    }
}
