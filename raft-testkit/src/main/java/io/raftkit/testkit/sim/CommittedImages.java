package io.raftkit.testkit.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.StateMachine;
import io.raftkit.node.internal.SimulatedNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The state machine's snapshot after each index of the committed log, replayed on demand through a
 * fresh replica of the application's state machine: what any snapshot at that index, and any node's
 * state machine that has applied up to it, must equal. A node that skipped entries by installing a
 * snapshot is compared with this instead of entry by entry. Since every node's state is compared with
 * one replay of one log, a state machine that is not deterministic (an {@code apply} reading the clock)
 * or whose snapshot does not round-trip fails here.
 */
final class CommittedImages {

    private final List<Entry> committed;
    private final Supplier<SimApplication> application;
    private StateMachine replay;
    private final SimulatedNode.SessionReplay sessions = SimulatedNode.sessionReplay();
    /** images.get(i): the snapshot after applying the first i committed entries. */
    private final List<byte[]> images = new ArrayList<>();
    /** sessionPrefixes.get(i): how a snapshot after the first i entries starts (its session table). */
    private final List<byte[]> sessionPrefixes = new ArrayList<>();

    /** {@code committed} is the checker's committed log; it only grows, and never changes. */
    CommittedImages(List<Entry> committed, Supplier<SimApplication> application) {
        this.committed = committed;
        this.application = application;
    }

    /** The snapshot after {@code index}, or null when fewer entries are known committed. */
    byte[] at(long index) {
        if (index > committed.size()) {
            return null;
        }
        if (replay == null) {
            replay = application.get().replica();
            images.add(SnapshotBytes.of(replay));
            sessionPrefixes.add(sessions.snapshotPrefix());
        }
        while (images.size() <= index) {
            Entry e = committed.get(images.size() - 1);
            byte[] prefix = sessionPrefixes.get(sessionPrefixes.size() - 1);
            if (e.type() == EntryType.COMMAND) {
                replay.apply(e.index(), e.data());
            } else if (e.type() == EntryType.SESSION) {
                sessions.apply(e.index(), e.data(), replay);
                prefix = sessions.snapshotPrefix();
            }
            images.add(SnapshotBytes.of(replay));
            sessionPrefixes.add(prefix);
        }
        return images.get((int) index);
    }

    /** The replica, at the last index {@link #at} was asked for; null before any. */
    StateMachine replica() {
        return replay;
    }

    /**
     * What a snapshot at {@code index} must start with: RaftKit's session table as the log leaves it there
     * (null when fewer entries are known committed). The user's image, {@link #at}, follows it.
     */
    byte[] sessionPrefixAt(long index) {
        return at(index) == null ? null : sessionPrefixes.get((int) index);
    }
}
