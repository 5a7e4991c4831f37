package io.raftkit.node;

import io.raftkit.core.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The client sessions of the group: part of the replicated state, changed only by applying session
 * entries, so it is the same on every node after the same log. For each session it keeps the answers its
 * client has not acknowledged, and answers a command it has seen from them instead of applying it again
 * (thesis section 6.3).
 *
 * <p>Time is the largest wall-clock stamp any session record in the log carried so far: never a node's
 * own clock, so that every node expires a session at the same entry. A node whose clock runs ahead can
 * only make sessions expire early, which fails commands with {@link SessionExpiredException}; it can
 * never make one apply twice.
 *
 * <p>Single-threaded: the {@link Applier} owns it. Not final so that a test can plant a table that loses
 * itself from snapshots and check the simulator notices.
 */
class SessionTable {

    /** Bytes an answer costs beyond its length in {@link SessionOptions#maxResponseBytes} accounting. */
    static final int ANSWER_OVERHEAD = 16;

    private static final class Session {
        final long id;
        final long timeoutMillis;
        final int maxResponseBytes;
        long lastActiveMillis;
        long ackedBelow;
        long answerBytes;
        final SavedAnswers answers = new SavedAnswers();

        Session(long id, long timeoutMillis, int maxResponseBytes, long lastActiveMillis) {
            this.id = id;
            this.timeoutMillis = timeoutMillis;
            this.maxResponseBytes = maxResponseBytes;
            this.lastActiveMillis = lastActiveMillis;
        }
    }

    /** Least recently active first: in access order, so a command's lookup makes its session the last. */
    private final LinkedHashMap<Long, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private long nowMillis;
    private volatile int open;
    private volatile long answerBytes;

    /** Sessions open now; any thread. */
    int open() {
        return open;
    }

    /** Bytes of answers kept for all sessions; any thread. */
    long answerBytes() {
        return answerBytes;
    }

    /**
     * Applies the session entry at {@code index}: its outcome is the answer (a byte array) or the
     * {@link RaftException} its client's future fails with. Only a new command reaches the state machine.
     */
    Object apply(long index, byte[] data, StateMachine stateMachine) {
        SessionRecord record;
        try {
            record = SessionRecord.decode(index, data);
        } catch (IllegalArgumentException malformed) {
            return new RaftException("malformed session record: " + malformed.getMessage());
        }
        nowMillis = Math.max(nowMillis, record.stampMillis());
        Object outcome;
        if (record instanceof SessionRecord.Open o) {
            outcome = open(index, o);
        } else if (record instanceof SessionRecord.Command c) {
            outcome = command(index, c, stateMachine);
        } else {
            Session s = sessions.remove(((SessionRecord.Close) record).sessionId());
            if (s != null) {
                forget(s);
            }
            outcome = new byte[0];
        }
        open = sessions.size();
        return outcome;
    }

    private Object open(long index, SessionRecord.Open o) {
        expireIdle(false);
        if (sessions.size() >= o.maxSessions()) {
            expireIdle(true);
        }
        if (sessions.size() >= o.maxSessions()) {
            return new RequestRejectedException(RequestRejectedException.Reason.TOO_MANY_SESSIONS, sessions.size()
                    + " client sessions are open, the limit (SessionOptions.maxSessions) is " + o.maxSessions());
        }
        sessions.put(index, new Session(index, o.timeoutMillis(), o.maxResponseBytes(), nowMillis));
        return java.nio.ByteBuffer.allocate(8).putLong(index).array();
    }

    private Object command(long index, SessionRecord.Command c, StateMachine stateMachine) {
        Session s = sessions.get(c.sessionId());
        if (s == null) {
            return new SessionExpiredException(c.sessionId(), "client session " + c.sessionId()
                    + " is unknown: it expired, was closed or never opened; the command was not applied");
        }
        if (expired(s)) {
            sessions.remove(s.id);
            forget(s);
            return new SessionExpiredException(s.id, "client session " + s.id + " expired after "
                    + (nowMillis - s.lastActiveMillis) + " ms without a command (timeout " + s.timeoutMillis
                    + " ms); the command was not applied");
        }
        s.lastActiveMillis = nowMillis;
        if (c.ackedBelow() > s.ackedBelow) {
            s.ackedBelow = c.ackedBelow();
            long freed = s.answers.dropBelow(s.ackedBelow);
            s.answerBytes -= freed;
            answerBytes -= freed;
        }
        if (c.sequence() < s.ackedBelow) {
            return new RequestRejectedException(RequestRejectedException.Reason.ALREADY_ACKNOWLEDGED, "command "
                    + c.sequence() + " of client session " + s.id + " was answered and acknowledged already: a late"
                    + " duplicate, not applied again");
        }
        byte[] saved = s.answers.get(c.sequence());
        if (saved != null) {
            return saved.clone(); // the caller owns the array a future completes with
        }
        if (s.answerBytes >= s.maxResponseBytes) {
            return new RequestRejectedException(RequestRejectedException.Reason.SESSION_BACKLOG, "client session "
                    + s.id + " keeps " + s.answerBytes + " bytes of unacknowledged answers, the limit"
                    + " (SessionOptions.maxResponseBytes) is " + s.maxResponseBytes + "; the command was not applied");
        }
        byte[] result = stateMachine.apply(index, c.command());
        if (result == null) {
            result = new byte[0];
        }
        s.answers.put(c.sequence(), result.clone()); // kept apart from the caller's copy
        long cost = (long) result.length + ANSWER_OVERHEAD;
        s.answerBytes += cost;
        answerBytes += cost;
        return result;
    }

    private boolean expired(Session s) {
        return nowMillis - s.lastActiveMillis > s.timeoutMillis;
    }

    /**
     * Drops expired sessions: from the least recently active on until one has not expired, or, with
     * {@code all}, every one (sessions have their own timeouts, so one may expire behind a live one).
     */
    private void expireIdle(boolean all) {
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (expired(s)) {
                it.remove();
                forget(s);
            } else if (!all) {
                return;
            }
        }
    }

    private void forget(Session s) {
        answerBytes -= s.answerBytes;
        s.answers.clear();
        s.answerBytes = 0;
    }


    /** Writes the whole table, in a form {@link #readFrom} restores exactly (order included). */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeLong(nowMillis);
        out.writeInt(sessions.size());
        for (Session s : sessions.values()) {
            out.writeLong(s.id);
            out.writeLong(s.timeoutMillis);
            out.writeInt(s.maxResponseBytes);
            out.writeLong(s.lastActiveMillis);
            out.writeLong(s.ackedBelow);
            out.writeInt(s.answers.size());
            for (int i = 0; i < s.answers.size(); i++) {
                out.writeLong(s.answers.sequence(i));
                out.writeInt(s.answers.answer(i).length);
                out.write(s.answers.answer(i));
            }
        }
    }

    /** Replaces the table with the one {@link #writeTo} wrote. */
    void readFrom(DataInputStream in) throws IOException {
        sessions.clear();
        long total = 0;
        nowMillis = in.readLong();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("corrupt session table in snapshot: " + count + " sessions");
        }
        for (int i = 0; i < count; i++) {
            Session s = new Session(in.readLong(), in.readLong(), in.readInt(), in.readLong());
            s.ackedBelow = in.readLong();
            int answers = in.readInt();
            if (answers < 0) {
                throw new IOException("corrupt session table in snapshot: session " + s.id + " has " + answers
                        + " answers");
            }
            for (int j = 0; j < answers; j++) {
                long sequence = in.readLong();
                int length = in.readInt();
                if (length < 0) {
                    throw new IOException("corrupt session table in snapshot: an answer of " + length + " bytes");
                }
                byte[] answer = in.readNBytes(length);
                if (answer.length != length) {
                    throw new IOException("corrupt session table in snapshot: it ends inside an answer");
                }
                s.answers.put(sequence, answer);
                s.answerBytes += (long) length + ANSWER_OVERHEAD;
            }
            total += s.answerBytes;
            sessions.put(s.id, s);
        }
        answerBytes = total;
        open = sessions.size();
    }
}
