package io.raftkit.transport.netty;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.transport.netty.wire.Frame;
import java.io.IOException;

/**
 * Parses one frame's bytes into a protobuf {@link Frame}, and nothing else; except the frame that carries
 * an {@link AppendRequest}, which {@link AppendFrameCodec} reads straight into the core record.
 *
 * <p>Parsing aliases: {@code bytes} fields become views of the frame's bytes rather than copies. For a
 * heap buffer those are the buffer's own, so the buffer travels on inside the {@link ParsedFrame} and
 * is released by whoever consumes that. Bytes that are not a valid {@code Frame} raise a
 * {@link DecoderException}.
 */
@Sharable
final class WireDecoder extends ChannelInboundHandlerAdapter {

    static final WireDecoder INSTANCE = new WireDecoder();

    private WireDecoder() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (AppendFrameCodec.carriesAppend(buf)) {
            AppendRequest append;
            try {
                append = AppendFrameCodec.read(buf);
            } catch (IOException e) {
                throw new DecoderException("not a valid frame: " + e.getMessage(), e);
            } finally {
                buf.release(); // every entry was copied out of it
            }
            ctx.fireChannelRead(append);
            return;
        }
        Frame frame;
        try {
            frame = parse(buf);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw new DecoderException("not a valid frame: " + e.getMessage(), e);
        }
        ctx.fireChannelRead(new ParsedFrame(frame, buf));
    }

    static Frame parse(ByteBuf buf) throws IOException {
        // protobuf-java 4 parses only heap arrays (or streams). A heap buffer is parsed in place; a direct
        // one (what epoll and NIO read into) is copied once into an array of exactly the frame's size.
        // Either way unsafeWrap marks the bytes immutable, which is what lets the parser alias `bytes`
        // fields to them instead of copying each field again.
        ByteString bytes = buf.hasArray()
                ? UnsafeByteOperations.unsafeWrap(buf.array(), buf.arrayOffset() + buf.readerIndex(),
                        buf.readableBytes())
                : UnsafeByteOperations.unsafeWrap(ByteBufUtil.getBytes(buf));
        CodedInputStream in = bytes.newCodedInput();
        in.enableAliasing(true);
        return Frame.parseFrom(in);
    }
}
