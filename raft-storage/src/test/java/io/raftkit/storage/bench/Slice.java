package io.raftkit.storage.bench;

/** What one timed slice of a benchmark loop did: entries made durable, and the time that took. */
record Slice(long entries, long nanos) {

    double perSecond() {
        return entries * 1e9 / nanos;
    }
}
