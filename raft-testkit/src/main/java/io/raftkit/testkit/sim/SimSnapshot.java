package io.raftkit.testkit.sim;

import io.raftkit.core.SnapshotMeta;

/** A snapshot as the simulation stores and ships it: what it covers and the state machine's image. */
record SimSnapshot(SnapshotMeta meta, byte[] image) {

    long index() {
        return meta.index();
    }

    @Override
    public String toString() {
        return "snapshot " + meta.index() + "/" + meta.term() + " (" + image.length + " bytes)";
    }
}
