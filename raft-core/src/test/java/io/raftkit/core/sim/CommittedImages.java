package io.raftkit.core.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.node.SessionImages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The state machine's image after each index of the committed log, replayed on demand: what any
 * snapshot at that index, and any state machine that has applied up to it, must equal. A node that
 * skipped entries by installing a snapshot is compared with this instead of entry by entry.
 */
final class CommittedImages {

    private final List<Entry> committed;
    private final SimStateMachine replay = new SimStateMachine("replay", null);
    private final SessionImages sessions = new SessionImages();
    /** images.get(i): the image after applying the first i committed entries. */
    private final List<String> images = new ArrayList<>();
    /** sessionPrefixes.get(i): how a snapshot after the first i entries starts (its session table). */
    private final List<byte[]> sessionPrefixes = new ArrayList<>();

    /** {@code committed} is the checker's committed log; it only grows, and never changes. */
    CommittedImages(List<Entry> committed) {
        this.committed = committed;
        images.add(image(replay.image()));
        sessionPrefixes.add(sessions.snapshotPrefix());
    }

    /** The image after {@code index}, or null when fewer entries are known committed. */
    String at(long index) {
        if (index > committed.size()) {
            return null;
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
            images.add(image(replay.image()));
            sessionPrefixes.add(prefix);
        }
        return images.get((int) index);
    }

    /**
     * What a snapshot at {@code index} must start with: RaftKit's session table as the log leaves it there
     * (null when fewer entries are known committed). The user's image, {@link #at}, follows it.
     */
    byte[] sessionPrefixAt(long index) {
        return at(index) == null ? null : sessionPrefixes.get((int) index);
    }

    static String image(KvStateMachine kv) {
        return image(kv.image());
    }

    static String image(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** An image as text for a failure message: {@code {k1=v3 k2=v7}}. */
    static String readable(String image) {
        return "{" + image.replace('\u0001', '=').replace('\u0002', ' ').trim() + "}";
    }
}
