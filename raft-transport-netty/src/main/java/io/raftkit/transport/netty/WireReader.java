package io.raftkit.transport.netty;

import com.google.protobuf.Internal;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Protobuf's wire format read from a Netty buffer where it lies, direct or not: what
 * {@link AppendFrameCodec} reads with. Why not {@code CodedInputStream}: over a direct buffer it first
 * copies the whole frame into an array (protobuf-java decodes direct memory in place only where its
 * {@code Unsafe} access works, which it does not here), and that copy was what the hand-written frame
 * saves.
 *
 * <p>Errors are protobuf's own: a truncated field, a malformed varint, a zero tag, an invalid wire type
 * or an unmatched end-group tag raise {@link InvalidProtocolBufferException}, as the generated parser
 * does on the same bytes. Reads the range it is given and never moves the buffer's indices.
 */
final class WireReader {

    /**
     * The bytes, through the JDK's buffer: a Netty buffer checks its reference count on every byte read,
     * which for the varints, read a byte at a time, costs more than the rest of the reading.
     */
    private final ByteBuffer buf;
    private int pos;
    private int end;

    /** A reader of {@code frame}'s readable bytes, valid while {@code frame} is. */
    WireReader(ByteBuf frame) {
        this.buf = frame.nioBuffer();
        this.pos = buf.position();
        this.end = buf.limit();
    }

    /** The next tag, or 0 at the end of the current range. */
    int readTag() throws InvalidProtocolBufferException {
        if (pos >= end) {
            return 0;
        }
        int tag = (int) readVarint();
        if (WireFormat.getTagFieldNumber(tag) == 0) {
            throw new InvalidProtocolBufferException("Protocol message contained an invalid tag (zero).");
        }
        return tag;
    }

    long readVarint() throws InvalidProtocolBufferException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw truncated();
            }
            byte b = buf.get(pos++);
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new InvalidProtocolBufferException("CodedInputStream encountered a malformed varint.");
    }

    /**
     * Narrows the range to the length-delimited field that starts here; returns the end to restore with
     * {@link #leave}.
     */
    int enter() throws InvalidProtocolBufferException {
        int length = readLength();
        int outer = end;
        end = pos + length;
        return outer;
    }

    /** Back to the enclosing range, after the nested field was read to its end. */
    void leave(int outerEnd) {
        end = outerEnd;
    }

    byte[] readBytes() throws InvalidProtocolBufferException {
        int length = readLength();
        byte[] bytes = new byte[length];
        buf.get(pos, bytes);
        pos += length;
        return bytes;
    }

    /** A {@code string} field, which must be valid UTF-8 (proto3). */
    String readString() throws InvalidProtocolBufferException {
        byte[] bytes = readBytes();
        if (!Internal.isValidUtf8(bytes)) {
            throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Skips the value of a field whose tag was just read, whatever its type. */
    void skipField(int tag) throws InvalidProtocolBufferException {
        switch (WireFormat.getTagWireType(tag)) {
            case WireFormat.WIRETYPE_VARINT -> readVarint();
            case WireFormat.WIRETYPE_FIXED64 -> skipBytes(8);
            case WireFormat.WIRETYPE_LENGTH_DELIMITED -> skipBytes(readLength());
            case WireFormat.WIRETYPE_FIXED32 -> skipBytes(4);
            case WireFormat.WIRETYPE_START_GROUP -> skipGroup(WireFormat.getTagFieldNumber(tag));
            case WireFormat.WIRETYPE_END_GROUP -> throw new InvalidProtocolBufferException(
                    "Protocol message end-group tag did not match expected tag.");
            default -> throw new InvalidProtocolBufferException("Protocol message tag had invalid wire type.");
        }
    }

    private void skipGroup(int field) throws InvalidProtocolBufferException {
        while (true) {
            int tag = readTag();
            if (tag == 0) {
                throw truncated();
            }
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_END_GROUP) {
                if (WireFormat.getTagFieldNumber(tag) != field) {
                    throw new InvalidProtocolBufferException(
                            "Protocol message end-group tag did not match expected tag.");
                }
                return;
            }
            skipField(tag);
        }
    }

    private int readLength() throws InvalidProtocolBufferException {
        long length = readVarint();
        if (length < 0 || length > end - pos) {
            throw truncated();
        }
        return (int) length;
    }

    private void skipBytes(int n) throws InvalidProtocolBufferException {
        if (n > end - pos) {
            throw truncated();
        }
        pos += n;
    }

    private static InvalidProtocolBufferException truncated() {
        return new InvalidProtocolBufferException("While parsing a protocol message, the input ended unexpectedly "
                + "in the middle of a field.");
    }
}
