package io.raftkit.core.sim;

import java.util.HashMap;
import java.util.Map;

/** The replicated key-value store each simulated node applies committed commands to. */
final class KvStateMachine {

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
}
