package io.raftkit.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.raftkit.transport.netty.wire.Frame;

/**
 * A decoded {@link Frame} together with the buffer it was parsed from.
 *
 * <p>The frame's {@code bytes} fields may alias that buffer instead of copying it (see
 * {@link WireDecoder}), so the buffer must stay alive until {@link WireMapper} has copied the payloads
 * into the core records; releasing this holder releases the buffer. Nothing aliased may outlive it.
 */
final class ParsedFrame extends DefaultByteBufHolder {

    private final Frame frame;

    ParsedFrame(Frame frame, ByteBuf backing) {
        super(backing);
        this.frame = frame;
    }

    Frame frame() {
        return frame;
    }

    @Override
    public ParsedFrame replace(ByteBuf content) {
        return new ParsedFrame(frame, content);
    }

    @Override
    public String toString() {
        return "ParsedFrame[" + frame.getBodyCase() + ", " + content().readableBytes() + "B]";
    }
}
