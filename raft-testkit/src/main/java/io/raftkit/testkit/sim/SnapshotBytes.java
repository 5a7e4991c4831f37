package io.raftkit.testkit.sim;

import io.raftkit.core.StateMachine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A state machine's snapshot as bytes: how the checks compare one state with another. */
final class SnapshotBytes {

    private SnapshotBytes() {}

    static byte[] of(StateMachine machine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            machine.writeSnapshot(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writeSnapshot failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
