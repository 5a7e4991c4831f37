package io.raftkit.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.core.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The replicated session table on its own: dedup, acknowledgements, expiry, limits, snapshot round trip. */
class SessionTableTest {

    /** Counts increments: the one command is not idempotent, so a second apply shows. */
    static final class Counter implements StateMachine {
        long value;
        int applies;

        @Override
        public byte[] apply(long index, byte[] command) {
            applies++;
            value += Long.parseLong(new String(command, StandardCharsets.UTF_8));
            return Long.toString(value).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] query(byte[] query) {
            return Long.toString(value).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void writeSnapshot(OutputStream out) {}

        @Override
        public void restoreSnapshot(InputStream in) {}
    }

    private final SessionTable table = new SessionTable();
    private final Counter counter = new Counter();
    private long index;

    private Object open(long stamp, long timeoutMillis, int maxSessions, int maxResponseBytes) {
        return table.apply(++index, new SessionRecord.Open(stamp, timeoutMillis, maxSessions, maxResponseBytes).encode(),
                counter);
    }

    private long openedId(long stamp) {
        Object out = open(stamp, 1_000, 10, 1 << 16);
        return ByteBuffer.wrap((byte[]) out).getLong();
    }

    private Object command(long stamp, long session, long sequence, long ackedBelow, String add) {
        return table.apply(++index, new SessionRecord.Command(stamp, session, sequence, ackedBelow,
                add.getBytes(StandardCharsets.UTF_8)).encode(), counter);
    }

    private static String text(Object outcome) {
        assertThat(outcome).isInstanceOf(byte[].class);
        return new String((byte[]) outcome, StandardCharsets.UTF_8);
    }

    @Test
    void aSessionIsNamedByTheIndexOfItsOpenEntry() {
        index = 41;
        assertThat(openedId(0)).isEqualTo(42);
        assertThat(table.open()).isEqualTo(1);
    }

    @Test
    void aRetriedSequenceNumberIsAnsweredFromTheTableWithoutApplyingAgain() {
        long s = openedId(0);
        assertThat(text(command(1, s, 1, 1, "5"))).isEqualTo("5");
        assertThat(text(command(2, s, 1, 1, "5"))).isEqualTo("5");
        assertThat(text(command(3, s, 2, 1, "5"))).isEqualTo("10");
        assertThat(text(command(4, s, 1, 1, "5"))).isEqualTo("5");
        assertThat(counter.applies).isEqualTo(2);
        assertThat(counter.value).isEqualTo(10);
    }

    @Test
    void anAcknowledgedAnswerIsForgottenAndALateDuplicateIsRefusedNotApplied() {
        long s = openedId(0);
        command(1, s, 1, 1, "1");
        command(1, s, 2, 1, "1");
        long kept = table.answerBytes();
        assertThat(kept).isEqualTo(2 * (1 + SessionTable.ANSWER_OVERHEAD));
        command(1, s, 3, 3, "1"); // the client has the answers to 1 and 2
        assertThat(table.answerBytes()).isEqualTo(1 + SessionTable.ANSWER_OVERHEAD);
        Object late = command(1, s, 1, 1, "1");
        assertThat(late).isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.reason())
                .isEqualTo(RequestRejectedException.Reason.ALREADY_ACKNOWLEDGED));
        assertThat(((RaftException) late).getMessage()).contains("acknowledged already");
        assertThat(counter.value).isEqualTo(3);
    }

    @Test
    void aSessionIdleLongerThanItsTimeoutByLoggedTimeExpiresAndItsCommandIsNotApplied() {
        long s = openedId(1_000);
        assertThat(text(command(1_900, s, 1, 1, "1"))).isEqualTo("1");
        Object out = command(2_901, s, 2, 1, "1"); // 1,001 ms after its last command; timeout 1,000
        assertThat(out).isInstanceOf(SessionExpiredException.class);
        assertThat(((SessionExpiredException) out).sessionId()).isEqualTo(s);
        assertThat(counter.value).isEqualTo(1);
        assertThat(command(2_902, s, 2, 1, "1")).isInstanceOf(SessionExpiredException.class);
        assertThat(table.open()).isZero();
    }

    @Test
    void timeNeverGoesBackwardsWhenAStampIsOlder() {
        long s = openedId(5_000);
        openedId(6_500); // a later stamp moves time to 6,500: s is idle for 1,500 ms
        assertThat(command(100, s, 1, 1, "1")).isInstanceOf(SessionExpiredException.class);
    }

    @Test
    void openingPastTheLimitIsRefusedUntilASessionClosesOrExpires() {
        Object a = open(0, 1_000, 2, 1024);
        open(0, 1_000, 2, 1024);
        Object refused = open(0, 1_000, 2, 1024);
        assertThat(refused).isInstanceOf(RequestRejectedException.class);
        assertThat(((RequestRejectedException) refused).reason())
                .isEqualTo(RequestRejectedException.Reason.TOO_MANY_SESSIONS);
        table.apply(++index, new SessionRecord.Close(0, ByteBuffer.wrap((byte[]) a).getLong()).encode(), counter);
        assertThat(open(0, 1_000, 2, 1024)).isInstanceOf(byte[].class);
        assertThat(open(2_000, 1_000, 2, 1024)).isInstanceOf(byte[].class); // both others expired
        assertThat(table.open()).isEqualTo(1);
    }

    @Test
    void aSessionWhoseUnacknowledgedAnswersFillItsBudgetRefusesNewCommandsWithoutApplyingThem() {
        long s = ByteBuffer.wrap((byte[]) open(0, 1_000, 10, 2 * (1 + SessionTable.ANSWER_OVERHEAD))).getLong();
        command(0, s, 1, 1, "1");
        command(0, s, 2, 1, "1");
        Object refused = command(0, s, 3, 1, "1");
        assertThat(refused).isInstanceOf(RequestRejectedException.class);
        assertThat(((RequestRejectedException) refused).reason())
                .isEqualTo(RequestRejectedException.Reason.SESSION_BACKLOG);
        assertThat(counter.value).isEqualTo(2);
        assertThat(text(command(0, s, 3, 3, "1"))).isEqualTo("3"); // acknowledging 1 and 2 makes room
    }

    @Test
    void theTableSurvivesASnapshotRoundTripWithItsAnswersAndTime() throws Exception {
        long s = openedId(1_000);
        command(1_500, s, 1, 1, "7");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.writeTo(new DataOutputStream(bytes));

        SessionTable restored = new SessionTable();
        restored.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(restored.open()).isEqualTo(1);
        assertThat(restored.answerBytes()).isEqualTo(table.answerBytes());
        Counter other = new Counter();
        Object retried = restored.apply(++index, new SessionRecord.Command(1_600, s, 1, 1,
                "7".getBytes(StandardCharsets.UTF_8)).encode(), other);
        assertThat(text(retried)).isEqualTo("7");
        assertThat(other.applies).isZero();
        // Time came along too: 1,001 ms after the last command the session has expired there as well.
        Object late = restored.apply(++index, new SessionRecord.Command(2_601, s, 2, 1,
                "1".getBytes(StandardCharsets.UTF_8)).encode(), other);
        assertThat(late).isInstanceOf(SessionExpiredException.class);
    }

    @Test
    void recordsRoundTripThroughTheirEncoding() {
        SessionRecord.Open o = new SessionRecord.Open(-5, 1234, 77, 65536);
        assertThat(SessionRecord.decode(1, o.encode())).isEqualTo(o);
        SessionRecord.Close c = new SessionRecord.Close(Long.MAX_VALUE, 42);
        assertThat(SessionRecord.decode(1, c.encode())).isEqualTo(c);
        SessionRecord.Command m = new SessionRecord.Command(1L << 40, 9, 300, 299, new byte[] {1, -2, 3});
        SessionRecord.Command back = (SessionRecord.Command) SessionRecord.decode(1, m.encode());
        assertThat(back.stampMillis()).isEqualTo(1L << 40);
        assertThat(back.sessionId()).isEqualTo(9);
        assertThat(back.sequence()).isEqualTo(300);
        assertThat(back.ackedBelow()).isEqualTo(299);
        assertThat(back.command()).containsExactly(1, -2, 3);
        SessionRecord.Command resent = (SessionRecord.Command) SessionRecord.decode(1,
                SessionRecord.Command.restamp(m.encode(), 7, 300));
        assertThat(resent.stampMillis()).isEqualTo(7);
        assertThat(resent.ackedBelow()).isEqualTo(300);
        assertThat(resent.sequence()).isEqualTo(300);
        assertThat(resent.command()).containsExactly(1, -2, 3);
    }

    @Test
    void answersOutOfOrderAreKeptInOrderAndDroppedByAcknowledgement() {
        SavedAnswers a = new SavedAnswers();
        for (long seq : new long[] {5, 3, 9, 4, 12, 7, 6, 8, 10, 11}) {
            a.put(seq, new byte[(int) seq]);
        }
        for (long seq = 3; seq <= 12; seq++) {
            assertThat(a.get(seq)).hasSize((int) seq);
        }
        assertThat(a.get(2)).isNull();
        assertThat(a.dropBelow(6)).isEqualTo(3 + 4 + 5 + 3 * SessionTable.ANSWER_OVERHEAD);
        assertThat(a.size()).isEqualTo(7);
        assertThat(a.sequence(0)).isEqualTo(6);
        for (long seq = 13; seq < 40; seq++) {
            a.put(seq, new byte[1]); // grows and slides
        }
        assertThat(a.get(39)).hasSize(1);
        assertThat(a.get(6)).hasSize(6);
        a.clear();
        assertThat(a.size()).isZero();
        assertThat(a.get(39)).isNull();
    }

    @Test
    void aMalformedRecordFailsItsOwnWriteAndNothingElse() {
        Object out = table.apply(++index, new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0}, counter);
        assertThat(out).isInstanceOf(RaftException.class);
        assertThat(((RaftException) out).getMessage()).contains("unknown kind 9");
        assertThat(counter.applies).isZero();
    }
}
