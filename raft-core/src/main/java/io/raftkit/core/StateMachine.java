package io.raftkit.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The user's replicated state machine. This is the one interface an application implements.
 *
 * <h2>What the library guarantees</h2>
 * <ul>
 *   <li><b>One thread at a time.</b> Methods are never called concurrently, so implementations need
 *       no locking: each call happens after the previous one returned, and sees what it did. By default
 *       {@link #apply} and {@link #query} run on the node's event loop while they are quick and nothing
 *       waits for the apply thread, and on the apply thread otherwise; snapshots are always written and
 *       restored on the apply thread. A state machine that is slow on the event loop (over a tenth of a
 *       tick, three times within about a tick) is moved to the apply thread for good. One whose calls may
 *       block (a disk, a remote service) should have the node built with
 *       {@code NodeOptions.applyOnEventLoop(false)}: it then runs on the apply thread only, and a slow
 *       call delays applying, never elections.</li>
 *   <li><b>Log order.</b> {@link #apply} is called for every committed command exactly once per
 *       incarnation of the state machine, in strictly increasing index order, with no gaps other than
 *       entries the library consumes itself (leader no-ops, configuration changes).</li>
 *   <li><b>Replay after a crash.</b> A restarted node starts from a fresh state machine, calls
 *       {@link #restoreSnapshot} with its latest snapshot (if any), and then applies the committed
 *       commands after the snapshot again. So {@code apply} must be deterministic: the same commands in
 *       the same order must give the same state and the same results on every node and every run. Do not
 *       read clocks, random sources or local files inside it.</li>
 * </ul>
 */
public interface StateMachine {

    /**
     * Applies a committed command and returns its result, which is handed to the client that submitted
     * it (possibly on another node, which computes the same result by applying the same entry).
     *
     * @param index the command's log index; strictly greater than the previous call's
     * @param command the bytes the client submitted; read them, do not modify them (the array is the log
     *     entry's payload, which the leader may still send to followers)
     * @return the result for the client; never null (return an empty array for "no result")
     */
    byte[] apply(long index, byte[] command);

    /**
     * Answers a read-only query from the current state. It must not change the state. The library
     * calls it only once the state is as fresh as the requested read consistency demands.
     */
    byte[] query(byte[] query);

    /**
     * Writes the whole current state to {@code out}. The library calls it between two {@code apply}
     * calls, with the index of the last applied command recorded alongside; it must be a
     * self-contained image that {@link #restoreSnapshot} can read back. Do not close {@code out}.
     */
    void writeSnapshot(OutputStream out) throws IOException;

    /**
     * Replaces the whole current state with the image in {@code in}, written earlier by
     * {@link #writeSnapshot} on this or another node. Do not close {@code in}.
     */
    void restoreSnapshot(InputStream in) throws IOException;
}
