package io.raftkit.node;

import io.raftkit.core.StateMachine;
import io.raftkit.node.internal.SimulatedNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * For the simulator's checkers (through {@link SimulatedNode#sessionReplay}): a session table replayed
 * from a committed log, and the parts of a snapshot RaftKit wrote, so that a snapshot can be compared with
 * what the log says it must hold, the sessions included.
 */
final class SessionImages implements SimulatedNode.SessionReplay {

    private final SessionTable table = new SessionTable();

    @Override
    public void apply(long index, byte[] data, StateMachine stateMachine) {
        table.apply(index, data, stateMachine);
    }

    @Override
    public byte[] snapshotPrefix() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(Applier.SESSIONS_MARKER);
            table.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public int open() {
        return table.open();
    }

    /** The user's state in a snapshot RaftKit wrote: what follows the session table (all of it without one). */
    static byte[] userPart(byte[] snapshot) {
        int marker = Applier.SESSIONS_MARKER.length;
        if (snapshot.length < marker || !Arrays.equals(Arrays.copyOf(snapshot, marker), Applier.SESSIONS_MARKER)) {
            return snapshot;
        }
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(snapshot, marker, snapshot.length - marker);
        try {
            new SessionTable().readFrom(new java.io.DataInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return in.readAllBytes();
    }
}
