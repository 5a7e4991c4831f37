package io.raftkit.testkit.sim;

import java.nio.charset.StandardCharsets;

/**
 * A write as it travels in a log entry. It carries the operation id, so that whoever applies an entry
 * knows which client operation it is: the checkers use that to tell whether a request the core called
 * failed was in fact applied, and whether an accepted proposal's index really holds it.
 *
 * @param expected for CAS, the expected value ("" = absent); null for PUT
 */
record KvCommand(long opId, String key, String value, String expected) {

    private static final char SEP = '\u0001';

    byte[] encode() {
        String s = opId + "" + SEP + key + SEP + value + (expected == null ? "" : SEP + expected);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static KvCommand decode(byte[] bytes) {
        String[] parts = new String(bytes, StandardCharsets.UTF_8).split(String.valueOf(SEP), -1);
        return new KvCommand(Long.parseLong(parts[0]), parts[1], parts[2], parts.length > 3 ? parts[3] : null);
    }

    boolean isCas() {
        return expected != null;
    }
}
