package io.raftkit.core.message;

import java.util.Objects;

/** Checks every message record makes of its common fields, so that no transport can build a malformed one. */
final class Messages {

    private Messages() {}

    static void check(String from, String to, long term) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (term < 0) {
            throw new IllegalArgumentException("term must be >= 0, got " + term);
        }
    }

    static void nonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + value);
        }
    }
}
