package io.raftkit.testkit.sim;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The replicated key-value store each simulated node applies committed commands to. */
final class KvStateMachine {

    private static final char PAIR = '\u0002';
    private static final char KEY_VALUE = '\u0001';

    private final Map<String, String> values = new HashMap<>();

    /** Applies a command; returns whether it changed the value (always for PUT; on a match for CAS). */
    boolean apply(KvCommand c) {
        if (c.isCas()) {
            String current = values.getOrDefault(c.key(), "");
            if (!current.equals(c.expected())) {
                return false;
            }
        }
        values.put(c.key(), c.value());
        return true;
    }

    /** The value, or null when absent. */
    String get(String key) {
        return values.get(key);
    }

    /**
     * The whole state as bytes: a snapshot's image. Keys are sorted, so equal states have equal images
     * (the checkers compare images) and the image is a copy that later applies cannot change.
     */
    byte[] image() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            sb.append(e.getKey()).append(KEY_VALUE).append(e.getValue()).append(PAIR);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A store holding exactly the state of {@code image}. */
    static KvStateMachine fromImage(byte[] image) {
        KvStateMachine kv = new KvStateMachine();
        String s = new String(image, StandardCharsets.UTF_8);
        int start = 0;
        for (int end = s.indexOf(PAIR); end >= 0; end = s.indexOf(PAIR, start)) {
            int sep = s.indexOf(KEY_VALUE, start);
            kv.values.put(s.substring(start, sep), s.substring(sep + 1, end));
            start = end + 1;
        }
        return kv;
    }
}
