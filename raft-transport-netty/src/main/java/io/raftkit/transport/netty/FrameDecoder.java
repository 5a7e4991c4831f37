package io.raftkit.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the byte stream into frames and nothing else.
 *
 * <pre>
 * before:  +--------+----------------+--------+------ ...
 *          | 4: len |  len bytes     | 4: len | (next frame)
 *          +--------+----------------+--------+------ ...
 * after:   +----------------+
 *          |  len bytes     |   (a slice of the receive buffer, not a copy)
 *          +----------------+
 * </pre>
 *
 * <p>The length is an unsigned big-endian int. A length above the maximum fails fast with
 * {@link TooLongFrameException} before any of the body is buffered, so a hostile length costs no memory.
 * Until {@link #admit()} (the handshake was accepted) the maximum is {@link #MAX_HANDSHAKE_BYTES}, so a
 * stranger cannot make a node buffer a full-size frame. A connection that ends in the middle of a frame
 * is logged. Buffers partial input, so one per channel.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {

    static final int LENGTH_BYTES = 4;
    /** The largest first frame: a handshake is a few dozen bytes. */
    static final int MAX_HANDSHAKE_BYTES = 8 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(FrameDecoder.class);

    private final Runnable onTruncated;
    private boolean admitted;

    /**
     * @param maxFrameBytes the largest frame body accepted once admitted
     * @param onTruncated told when the connection ends inside a frame
     */
    FrameDecoder(int maxFrameBytes, Runnable onTruncated) {
        super(maxFrameBytes + LENGTH_BYTES, 0, LENGTH_BYTES, 0, LENGTH_BYTES, true);
        this.onTruncated = onTruncated;
    }

    /** Accepts frames up to the full maximum from now on. Call on the channel's event loop. */
    void admit() {
        admitted = true;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (!admitted && in.readableBytes() >= LENGTH_BYTES) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > MAX_HANDSHAKE_BYTES) {
                in.skipBytes(in.readableBytes());
                throw new TooLongFrameException("a first frame of " + length + " bytes; a handshake has at most "
                        + MAX_HANDSHAKE_BYTES);
            }
        }
        return super.decode(ctx, in);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (in.isReadable()) {
            LOG.warn("connection {} closed inside a frame ({} bytes of it received); discarding them",
                    ctx.channel().remoteAddress(), in.readableBytes());
            in.skipBytes(in.readableBytes());
            onTruncated.run();
        }
    }
}
