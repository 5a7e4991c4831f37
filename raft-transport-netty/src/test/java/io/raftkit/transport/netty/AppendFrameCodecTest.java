package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.raftkit.core.Entry;
import io.raftkit.core.contract.SampleMessages;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.Message;
import io.raftkit.transport.netty.wire.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The hand-written append frame against the generated protobuf code, which stays the reference. */
class AppendFrameCodecTest {

    static Stream<AppendRequest> appends() {
        List<AppendRequest> all = new ArrayList<>();
        for (Message m : SampleMessages.all("n1", "n2")) {
            if (m instanceof AppendRequest a) {
                all.add(a);
            }
        }
        all.add(new AppendRequest("n1", "n2", 0, 0, 0, List.of(), 0)); // every field at its default
        all.add(new AppendRequest("knoten-ä", "узел-2", 1, 0, 0, List.of(Entry.noop(1, 1)), 0));
        all.add(new AppendRequest("n1", "n2", 5, 127, 128, List.of(
                Entry.command(5, 128, new byte[300]), Entry.command(5, 129, new byte[70_000])), 16_383));
        return all.stream();
    }

    static Stream<Message> otherFrames() {
        return SampleMessages.all("n1", "n2").stream().filter(m -> !(m instanceof AppendRequest));
    }

    private static byte[] reference(AppendRequest a) {
        return WireMapper.toFrame(a).toByteArray();
    }

    private static byte[] written(AppendRequest a) throws IOException {
        AppendFrameCodec.Sized sized = new AppendFrameCodec.Sized(a);
        byte[] out = new byte[sized.size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        sized.writeTo(cos);
        cos.checkNoSpaceLeft();
        return out;
    }

    @ParameterizedTest
    @MethodSource("appends")
    void writesTheBytesTheGeneratedCodeWrites(AppendRequest a) throws IOException {
        assertThat(written(a)).isEqualTo(reference(a));
        assertThat(new AppendFrameCodec.Sized(a).size).isEqualTo(WireMapper.toFrame(a).getSerializedSize());
    }

    @ParameterizedTest
    @MethodSource("appends")
    void readsWhatTheGeneratedCodeWritesFromHeapAndDirectBuffers(AppendRequest a) throws IOException {
        byte[] bytes = reference(a);
        ByteBuf heap = Unpooled.wrappedBuffer(bytes);
        assertThat(AppendFrameCodec.carriesAppend(heap)).isTrue();
        assertThat(AppendFrameCodec.read(heap)).isEqualTo(a);
        ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        try {
            assertThat(AppendFrameCodec.read(direct)).isEqualTo(a);
        } finally {
            direct.release();
        }
    }

    @ParameterizedTest
    @MethodSource("otherFrames")
    void leavesEveryOtherFrameToTheGeneratedParser(Message m) {
        assertThat(AppendFrameCodec.carriesAppend(bufferOf(WireMapper.toFrame(m)))).isFalse();
    }

    @Test
    void leavesTheHandshakeAndBytesThatAreNotProtobufToTheGeneratedParser() {
        assertThat(AppendFrameCodec.carriesAppend(bufferOf(WireProtocol.handshake("c", "n1", "")))).isFalse();
        byte[] notProtobuf = {(byte) 0xff, (byte) 0xff};
        assertThat(AppendFrameCodec.carriesAppend(Unpooled.wrappedBuffer(notProtobuf))).isFalse();
        assertThat(AppendFrameCodec.carriesAppend(Unpooled.EMPTY_BUFFER)).isFalse();
    }

    @Test
    void followsProtobufOnUnknownFieldsReorderedFieldsAndARepeatedBody() throws IOException {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7)
                        .addLengthDelimited(ByteString.copyFromUtf8("x")).build())
                .build();
        Frame withUnknown = Frame.newBuilder().setFrom("n1").setTo("n2").setTerm(4)
                .setAppendRequest(io.raftkit.transport.netty.wire.AppendRequest.newBuilder().setPrevLogIndex(3)
                        .setPrevLogTerm(2).setCommitIndex(3).setUnknownFields(unknown)
                        .addEntries(io.raftkit.transport.netty.wire.Entry.newBuilder().setTerm(4).setIndex(4).setType(1)
                                .setData(ByteString.copyFromUtf8("v")).setUnknownFields(unknown)))
                .build();
        assertSameAsGenerated(withUnknown.toByteArray());

        // Fields in reverse order, written field by field.
        ByteArrayOutputStream reversed = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(reversed);
        out.writeMessage(Frame.APPEND_REQUEST_FIELD_NUMBER, withUnknown.getAppendRequest());
        out.writeUInt64(Frame.TERM_FIELD_NUMBER, 4);
        out.writeString(Frame.TO_FIELD_NUMBER, "n2");
        out.writeString(Frame.FROM_FIELD_NUMBER, "n1");
        out.flush();
        assertSameAsGenerated(reversed.toByteArray());

        // Two frames back to back are one merged frame in protobuf: the entries add up, the scalars are the last.
        AppendRequest first = new AppendRequest("n1", "n2", 4, 3, 2, List.of(Entry.command(4, 4, new byte[] {1})), 3);
        AppendRequest second = new AppendRequest("n1", "n2", 4, 4, 4, List.of(Entry.command(4, 5, new byte[] {2})), 5);
        byte[] merged = concat(reference(first), reference(second));
        assertSameAsGenerated(merged);
        assertThat(AppendFrameCodec.read(Unpooled.wrappedBuffer(merged)).entries()).hasSize(2);
    }

    private static void assertSameAsGenerated(byte[] bytes) throws IOException {
        Message expected = WireMapper.toMessage(Frame.parseFrom(bytes));
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        assertThat(AppendFrameCodec.carriesAppend(buf)).isTrue();
        assertThat(AppendFrameCodec.read(buf)).isEqualTo(expected);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * Damaged frames (bytes changed, cut short or lengthened) either read to the record the generated
     * parser and mapper make of them, or fail where those fail: the hand-written reader accepts nothing
     * the reference refuses and refuses nothing it accepts.
     */
    @Test
    void damagedFramesReadAsTheGeneratedParserReadsThem() {
        List<byte[]> valid = appends().map(AppendFrameCodecTest::reference).filter(b -> b.length < 2000).toList();
        java.util.Random random = new java.util.Random(19);
        int read = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] damaged = valid.get(random.nextInt(valid.size())).clone();
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            byte[] bytes = random.nextInt(4) == 0
                    ? java.util.Arrays.copyOf(damaged, random.nextInt(damaged.length + 8)) : damaged;
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            if (!AppendFrameCodec.carriesAppend(buf)) {
                continue;
            }
            Object expected = outcome(() -> WireMapper.toMessage(Frame.parseFrom(bytes)));
            Object actual = outcome(() -> AppendFrameCodec.read(buf));
            String seen = "case " + i + ": " + ByteBufUtil.hexDump(bytes);
            if (expected instanceof Message) {
                assertThat(actual).as(seen).isEqualTo(expected);
                read++;
            } else {
                assertThat(actual).as(seen).isInstanceOf(Exception.class);
                assertThat(actual.getClass()).as(seen).isEqualTo(expected.getClass());
            }
        }
        assertThat(read).as("some damaged frames still read").isGreaterThan(100);
    }

    private interface Reading {
        Message read() throws IOException;
    }

    /** The message read, or the kind of failure: CorruptFrameException, or IOException for bad protobuf. */
    private static Object outcome(Reading r) {
        try {
            return r.read();
        } catch (CorruptFrameException e) {
            return e;
        } catch (IOException e) {
            return new IOException(e);
        }
    }

    /** A frame carrying one entry as {@code entry} sets it. */
    private static ByteBuf appendFrameWith(io.raftkit.transport.netty.wire.Entry.Builder entry) {
        return bufferOf(Frame.newBuilder().setFrom("n1").setTo("n2").setTerm(1)
                .setAppendRequest(io.raftkit.transport.netty.wire.AppendRequest.newBuilder().addEntries(entry))
                .build());
    }

    private static ByteBuf bufferOf(Frame frame) {
        return Unpooled.wrappedBuffer(frame.toByteArray());
    }

    @Test
    void anInvalidEntryIsACorruptFrameNamingWhatIsWrong() {
        var unknownType = io.raftkit.transport.netty.wire.Entry.newBuilder().setTerm(1).setIndex(1).setType(42);
        assertThatThrownBy(() -> AppendFrameCodec.read(appendFrameWith(unknownType)))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("invalid APPEND_REQUEST frame")
                .hasMessageContaining("unknown entry type code 42");
        var termZero = io.raftkit.transport.netty.wire.Entry.newBuilder().setTerm(0).setIndex(1).setType(1);
        assertThatThrownBy(() -> AppendFrameCodec.read(appendFrameWith(termZero)))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("entry term must be >= 1");
        Frame hugeTerm = Frame.newBuilder().setFrom("n1").setTo("n2").setTerm(-1)
                .setAppendRequest(io.raftkit.transport.netty.wire.AppendRequest.getDefaultInstance()).build();
        assertThatThrownBy(() -> AppendFrameCodec.read(bufferOf(hugeTerm)))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("term beyond 2^63-1");
    }

    @Test
    void theDecoderReadsAnAppendFrameIntoTheRecordReleasesTheBufferAndRefusesATruncatedOne() {
        AppendRequest a = appends().skip(1).findFirst().orElseThrow();
        byte[] bytes = reference(a);
        EmbeddedChannel ch = new EmbeddedChannel(WireDecoder.INSTANCE);
        ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        ch.writeInbound(direct);
        assertThat((Object) ch.readInbound()).isEqualTo(a);
        assertThat(direct.refCnt()).isZero();

        ByteBuf truncated = Unpooled.directBuffer(bytes.length).writeBytes(bytes, 0, bytes.length - 3);
        assertThatThrownBy(() -> ch.writeInbound(truncated)).isInstanceOf(DecoderException.class)
                .hasMessageContaining("not a valid frame");
        assertThat(truncated.refCnt()).isZero();
    }

    @Test
    void theEncoderWritesTheFrameOrDropsAndCountsOneAboveTheMaximum() {
        AtomicInteger oversized = new AtomicInteger();
        EmbeddedChannel ch = new EmbeddedChannel(new WireEncoder(2048, oversized::incrementAndGet));
        AppendRequest small = new AppendRequest("n1", "n2", 3, 1, 1, List.of(Entry.command(3, 2, new byte[100])), 1);
        ch.writeOutbound(small);
        ByteBuf out = ch.readOutbound();
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(reference(small));
        out.release();

        ch.writeOutbound(new AppendRequest("n1", "n2", 3, 1, 1, List.of(Entry.command(3, 2, new byte[4096])), 1));
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(oversized).hasValue(1);
        assertThat(ch.isOpen()).isTrue();
    }
}
