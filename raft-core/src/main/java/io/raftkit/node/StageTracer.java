package io.raftkit.node;

import java.util.concurrent.atomic.AtomicLongArray;
import jdk.jfr.EventType;

/**
 * Where a write's time goes on the node that accepted it, for one write in {@link #EVERY} (by log
 * index), only while a JFR recording takes {@link FlightEvents.WriteStages} events: each such write
 * becomes one event with the time from the client's call to the event loop accepting it into the log
 * ({@code queue}), from then to its own log write being durable ({@code persist}) and to its commit
 * ({@code commit}: a quorum's acknowledgements, local disk included or not), and from the commit to the
 * state machine having applied it ({@code apply}). The rest of a client's latency, from the apply to
 * the client's callback, is its future's completion. Two more split the way to the commit: from the
 * acceptance to the first append carrying the write being handed to the transport ({@code send}), and
 * from then to the first follower's acknowledgement of it reaching the event loop ({@code round trip}:
 * the network both ways, the follower's hand-offs and its own durable write).
 *
 * <p>On a follower, the same sampled indexes give {@link FlightEvents.FollowerAppend}: from its event loop
 * taking the leader's append to its own write of the entry being durable, after which its
 * acknowledgement goes out (what a leader's {@code commit} stage waits for, less the network).
 *
 * <p>Four threads stamp a write: the event loop (accepted, committed), the storage thread (durable) and
 * the apply thread (applied). The stamps live in a small ring of slots, indexed by the sampled log
 * index; whichever of durable and applied comes last emits the event. A slot reused before a write's
 * stamps are complete (a backlog of more than {@code SLOTS * EVERY} entries) loses that sample, never
 * mixes two. Costs nothing but a volatile read per write when no recording takes the event.
 */
final class StageTracer {

    /** One write in this many, by index. */
    static final int EVERY = 16;
    private static final int SLOTS = 256;
    private static final int INDEX = 0;
    private static final int SUBMITTED = 1;
    private static final int ACCEPTED = 2;
    private static final int DURABLE = 3;
    private static final int COMMITTED = 4;
    private static final int APPLIED = 5;
    private static final int RECEIVED = 6;
    private static final int SENT = 7;
    private static final int ACKED = 8;
    private static final int WIDTH = 9;
    /** The most indexes the slots hold at once: of a longer range, only the last this many can be traced. */
    private static final long WINDOW = (long) SLOTS * EVERY;

    private static final EventType TYPE = EventType.getEventType(FlightEvents.WriteStages.class);
    private static final EventType FOLLOWER_TYPE = EventType.getEventType(FlightEvents.FollowerAppend.class);

    private final String node;
    private final Clock clock;
    private final AtomicLongArray stamps = new AtomicLongArray(SLOTS * WIDTH);
    /** The highest index a follower's acknowledgement covered so far. Event loop only. */
    private long ackedThrough;

    StageTracer(String node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    /** Whether {@code index} is traced now. */
    boolean traces(long index) {
        return index % EVERY == 0 && TYPE.isEnabled();
    }

    /** The event loop put the client's write, submitted at {@code submittedNanos}, into the log at {@code index}. */
    void accepted(long index, long submittedNanos) {
        if (!traces(index)) {
            return;
        }
        int at = slot(index);
        for (int i = SUBMITTED; i < WIDTH; i++) {
            stamps.set(at + i, 0);
        }
        stamps.set(at + INDEX, index);
        stamps.set(at + SUBMITTED, submittedNanos);
        stamps.set(at + ACCEPTED, clock.nanoTime());
        if (index <= ackedThrough) {
            ackedThrough = index - 1; // a new leader reuses indexes a deposed one had acknowledged
        }
    }

    /** An append carrying {@code first..last} was handed to the transport (the first such one counts). */
    void sent(long first, long last) {
        if (TYPE.isEnabled()) {
            stampRange(first, last, SENT);
        }
    }

    /** A follower's acknowledgement that it holds the log through {@code matchIndex} reached the event loop. */
    void acknowledged(long matchIndex) {
        if (matchIndex <= ackedThrough || !TYPE.isEnabled()) {
            return;
        }
        long from = ackedThrough + 1;
        ackedThrough = matchIndex;
        stampRange(from, matchIndex, ACKED);
    }

    /**
     * A follower's event loop took an append of {@code first..last} from its leader: its own write of them
     * starts now, and its acknowledgement goes out once that is durable.
     */
    void received(long first, long last) {
        if (!FOLLOWER_TYPE.isEnabled()) {
            return;
        }
        long now = -1;
        for (long index = firstTraced(Math.max(first, last - WINDOW + 1)); index <= last; index += EVERY) {
            if (now < 0) {
                now = clock.nanoTime();
            }
            int at = slot(index);
            for (int i = SUBMITTED; i < WIDTH; i++) {
                stamps.set(at + i, 0);
            }
            stamps.set(at + INDEX, index);
            stamps.set(at + RECEIVED, now);
        }
    }

    /** The node's own log write of {@code first..last} is durable. */
    void durable(long first, long last) {
        stampRange(first, last, DURABLE);
    }

    /** The commit index reached {@code first..last}. */
    void committed(long first, long last) {
        stampRange(first, last, COMMITTED);
    }

    /** Stamps the traced indexes of {@code first..last}; only the last {@link #WINDOW} can still be in the slots. */
    private void stampRange(long first, long last, int stage) {
        long now = -1;
        for (long index = firstTraced(Math.max(first, last - WINDOW + 1)); index <= last; index += EVERY) {
            if (now < 0) {
                now = clock.nanoTime();
            }
            stamp(index, stage, now);
        }
    }

    /** The state machine applied {@code index}. */
    void applied(long index) {
        if (index % EVERY == 0) {
            stamp(index, APPLIED, clock.nanoTime());
        }
    }

    private static long firstTraced(long first) {
        return (first + EVERY - 1) / EVERY * EVERY;
    }

    private static int slot(long index) {
        return (int) ((index / EVERY) % SLOTS) * WIDTH;
    }

    private void stamp(long index, int stage, long now) {
        int at = slot(index);
        if (stamps.get(at + INDEX) != index) {
            return; // not traced here, or the slot moved on
        }
        if (stamps.get(at + ACCEPTED) == 0) {
            long received = stamps.get(at + RECEIVED);
            if (stage == DURABLE && received != 0 && stamps.compareAndSet(at + INDEX, index, -index)) {
                FlightEvents.FollowerAppend e = new FlightEvents.FollowerAppend();
                e.node = node;
                e.index = index;
                e.persistNanos = now - received;
                e.commit();
            }
            return; // a follower's entry: nothing more to stamp
        }
        if ((stage == SENT || stage == ACKED) && stamps.get(at + stage) != 0) {
            return; // the first append to carry it, the first acknowledgement of it, count
        }
        stamps.set(at + stage, now);
        if ((stage == DURABLE || stage == APPLIED) && stamps.get(at + DURABLE) != 0 && stamps.get(at + APPLIED) != 0
                && stamps.compareAndSet(at + INDEX, index, -index)) {
            emit(index, at);
        }
    }

    private void emit(long index, int at) {
        long accepted = stamps.get(at + ACCEPTED);
        long committed = stamps.get(at + COMMITTED);
        long sent = stamps.get(at + SENT);
        long acked = stamps.get(at + ACKED);
        FlightEvents.WriteStages e = new FlightEvents.WriteStages();
        e.node = node;
        e.index = index;
        e.queueNanos = accepted - stamps.get(at + SUBMITTED);
        e.persistNanos = stamps.get(at + DURABLE) - accepted;
        e.commitNanos = committed == 0 ? -1 : committed - accepted;
        e.applyNanos = committed == 0 ? -1 : stamps.get(at + APPLIED) - committed;
        e.sendNanos = sent == 0 ? -1 : sent - accepted;
        e.roundTripNanos = sent == 0 || acked == 0 ? -1 : acked - sent;
        e.commit();
    }
}
