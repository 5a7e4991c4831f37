package io.raftkit.core.sim;

import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
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
    private final KvStateMachine replay = new KvStateMachine();
    /** images.get(i): the image after applying the first i committed entries. */
    private final List<String> images = new ArrayList<>();

    /** {@code committed} is the checker's committed log; it only grows, and never changes. */
    CommittedImages(List<Entry> committed) {
        this.committed = committed;
        images.add(image(replay));
    }

    /** The image after {@code index}, or null when fewer entries are known committed. */
    String at(long index) {
        if (index > committed.size()) {
            return null;
        }
        while (images.size() <= index) {
            Entry e = committed.get(images.size() - 1);
            if (e.type() == EntryType.COMMAND) {
                replay.apply(KvCommand.decode(e.data()));
            }
            images.add(image(replay));
        }
        return images.get((int) index);
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
