package io.raftkit.transport.netty;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.netty.buffer.ByteBuf;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.transport.netty.wire.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Frame} that carries an {@code AppendRequest}, written and read by hand: the same bytes as
 * the generated protobuf code's (see {@code raftkit.proto}), without its objects.
 *
 * <p>Why by hand: this frame carries every entry to every follower, so it is most of what the transport
 * does. Through the generated classes each entry became a builder, a protobuf {@code Entry} and a
 * {@code ByteString} per follower on the way out, and on the way in the whole frame was copied out of
 * the direct receive buffer before each entry's data was copied once more into its core record. Here an
 * entry goes from its core record into the send buffer, and from the receive buffer into its new core
 * record, in one copy each way. Every other frame still goes through {@link WireMapper}, which stays the
 * reference: the tests hold the two to the same bytes and the same records.
 *
 * <p>Reading follows protobuf's rules where a sender could differ from ours: fields in any order, unknown
 * fields skipped, a repeated {@code append_request} merged into one. A frame whose top level has any
 * field other than {@code from}, {@code to}, {@code term} and {@code append_request} is left to the
 * generated parser ({@link #carriesAppend} says no), so oneof and unknown-field cases there need no
 * second implementation.
 */
final class AppendFrameCodec {

    private static final int FROM = Frame.FROM_FIELD_NUMBER;
    private static final int TO = Frame.TO_FIELD_NUMBER;
    private static final int TERM = Frame.TERM_FIELD_NUMBER;
    private static final int BODY = Frame.APPEND_REQUEST_FIELD_NUMBER;

    private static final int PREV_INDEX = io.raftkit.transport.netty.wire.AppendRequest.PREV_LOG_INDEX_FIELD_NUMBER;
    private static final int PREV_TERM = io.raftkit.transport.netty.wire.AppendRequest.PREV_LOG_TERM_FIELD_NUMBER;
    private static final int ENTRIES = io.raftkit.transport.netty.wire.AppendRequest.ENTRIES_FIELD_NUMBER;
    private static final int COMMIT = io.raftkit.transport.netty.wire.AppendRequest.COMMIT_INDEX_FIELD_NUMBER;

    private static final int E_TERM = io.raftkit.transport.netty.wire.Entry.TERM_FIELD_NUMBER;
    private static final int E_INDEX = io.raftkit.transport.netty.wire.Entry.INDEX_FIELD_NUMBER;
    private static final int E_TYPE = io.raftkit.transport.netty.wire.Entry.TYPE_FIELD_NUMBER;
    private static final int E_DATA = io.raftkit.transport.netty.wire.Entry.DATA_FIELD_NUMBER;

    private static final int VARINT = WireFormat.WIRETYPE_VARINT;
    private static final int DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private AppendFrameCodec() {}

    // ---- writing ------------------------------------------------------------------------------------

    /**
     * The frame of {@code a}, sized once and then written. Fields at their default value are left out,
     * as the generated code does, so the bytes are the same.
     */
    static final class Sized {
        private final AppendRequest request;
        private final byte[] from;
        private final byte[] to;
        private final int[] entrySizes;
        private final int bodySize;
        /** The whole frame's size, without the transport's length prefix. */
        final int size;

        Sized(AppendRequest a) {
            this.request = a;
            this.from = a.from().getBytes(StandardCharsets.UTF_8);
            this.to = a.to().getBytes(StandardCharsets.UTF_8);
            List<Entry> entries = a.entries();
            this.entrySizes = new int[entries.size()];
            int body = uint64Size(PREV_INDEX, a.prevLogIndex()) + uint64Size(PREV_TERM, a.prevLogTerm())
                    + uint64Size(COMMIT, a.commitIndex());
            for (int i = 0; i < entrySizes.length; i++) {
                int s = entrySize(entries.get(i));
                entrySizes[i] = s;
                body += delimitedSize(ENTRIES, s);
            }
            this.bodySize = body;
            this.size = bytesSize(FROM, from.length) + bytesSize(TO, to.length) + uint64Size(TERM, a.term())
                    + delimitedSize(BODY, body);
        }

        void writeTo(CodedOutputStream out) throws IOException {
            AppendRequest a = request;
            writeBytes(out, FROM, from);
            writeBytes(out, TO, to);
            writeUInt64(out, TERM, a.term());
            out.writeTag(BODY, DELIMITED);
            out.writeUInt32NoTag(bodySize);
            writeUInt64(out, PREV_INDEX, a.prevLogIndex());
            writeUInt64(out, PREV_TERM, a.prevLogTerm());
            List<Entry> entries = a.entries();
            for (int i = 0; i < entrySizes.length; i++) {
                Entry e = entries.get(i);
                out.writeTag(ENTRIES, DELIMITED);
                out.writeUInt32NoTag(entrySizes[i]);
                writeUInt64(out, E_TERM, e.term());
                writeUInt64(out, E_INDEX, e.index());
                writeUInt64(out, E_TYPE, e.type().code());
                writeBytes(out, E_DATA, e.data());
            }
            writeUInt64(out, COMMIT, a.commitIndex());
        }
    }

    private static int entrySize(Entry e) {
        return uint64Size(E_TERM, e.term()) + uint64Size(E_INDEX, e.index()) + uint64Size(E_TYPE, e.type().code())
                + bytesSize(E_DATA, e.data().length);
    }

    private static int uint64Size(int field, long value) {
        return value == 0 ? 0 : CodedOutputStream.computeUInt64Size(field, value);
    }

    private static int bytesSize(int field, int length) {
        return length == 0 ? 0 : delimitedSize(field, length);
    }

    private static int delimitedSize(int field, int length) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
    }

    private static void writeUInt64(CodedOutputStream out, int field, long value) throws IOException {
        if (value != 0) {
            out.writeUInt64(field, value);
        }
    }

    private static void writeBytes(CodedOutputStream out, int field, byte[] value) throws IOException {
        if (value.length != 0) {
            out.writeByteArray(field, value);
        }
    }

    // ---- reading ------------------------------------------------------------------------------------

    /**
     * Whether {@code frame} (the readable bytes: one frame, without its length prefix) is a frame this
     * class reads: its top level holds {@code append_request} and nothing but {@code from}, {@code to}
     * and {@code term} besides. Reads only the top-level tags (the body is skipped by its length), so the
     * second pass over an append frame costs a few varints; bytes that are not protobuf answer false (the
     * generated parser then says what is wrong with them).
     */
    static boolean carriesAppend(ByteBuf frame) {
        WireReader in = new WireReader(frame);
        boolean body = false;
        try {
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return body;
                }
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == BODY && WireFormat.getTagWireType(tag) == DELIMITED) {
                    body = true;
                } else if (field != FROM && field != TO && field != TERM) {
                    return false;
                }
                in.skipField(tag);
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads a frame for which {@link #carriesAppend} said true; each entry's data is copied once, out of
     * {@code frame} into its own array. The caller still owns {@code frame}.
     *
     * @throws IOException when the bytes are not valid protobuf
     * @throws CorruptFrameException when they are, but not a valid append request
     */
    static AppendRequest read(ByteBuf frame) throws IOException {
        WireReader in = new WireReader(frame);
        String from = "";
        String to = "";
        long term = 0;
        long prevIndex = 0;
        long prevTerm = 0;
        long commit = 0;
        List<Entry> entries = new ArrayList<>();
        // Reported after the whole frame parsed, as the reference does: bad protobuf further on wins.
        IllegalArgumentException invalidEntry = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            switch (tag) {
                case FROM << 3 | DELIMITED -> from = in.readString();
                case TO << 3 | DELIMITED -> to = in.readString();
                case TERM << 3 | VARINT -> term = in.readVarint();
                case BODY << 3 | DELIMITED -> {
                    int outer = in.enter();
                    while (true) {
                        int t = in.readTag();
                        if (t == 0) {
                            break;
                        }
                        switch (t) {
                            case PREV_INDEX << 3 | VARINT -> prevIndex = in.readVarint();
                            case PREV_TERM << 3 | VARINT -> prevTerm = in.readVarint();
                            case COMMIT << 3 | VARINT -> commit = in.readVarint();
                            case ENTRIES << 3 | DELIMITED -> {
                                try {
                                    entries.add(readEntry(in));
                                } catch (IllegalArgumentException e) {
                                    invalidEntry = invalidEntry == null ? e : invalidEntry;
                                }
                            }
                            default -> in.skipField(t);
                        }
                    }
                    in.leave(outer);
                }
                default -> in.skipField(tag);
            }
        }
        if (term < 0) {
            throw new CorruptFrameException("term beyond 2^63-1 in a APPEND_REQUEST frame");
        }
        if (invalidEntry != null) {
            throw new CorruptFrameException("invalid APPEND_REQUEST frame: " + invalidEntry.getMessage());
        }
        try {
            return new AppendRequest(from, to, term, prevIndex, prevTerm, entries, commit);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CorruptFrameException("invalid APPEND_REQUEST frame: " + e.getMessage());
        }
    }

    /** Reads one entry's fields; an invalid value (once they are all read) raises IllegalArgumentException. */
    private static Entry readEntry(WireReader in) throws IOException {
        int outer = in.enter();
        long term = 0;
        long index = 0;
        int type = 0;
        byte[] data = null;
        while (true) {
            int t = in.readTag();
            if (t == 0) {
                break;
            }
            switch (t) {
                case E_TERM << 3 | VARINT -> term = in.readVarint();
                case E_INDEX << 3 | VARINT -> index = in.readVarint();
                case E_TYPE << 3 | VARINT -> type = (int) in.readVarint();
                case E_DATA << 3 | DELIMITED -> data = in.readBytes();
                default -> in.skipField(t);
            }
        }
        in.leave(outer);
        return new Entry(term, index, EntryType.fromCode(type), data == null ? new byte[0] : data);
    }
}
