package io.raftkit.testkit.sim;

import io.raftkit.node.ReadConsistency;

/**
 * A client's request as it reaches a simulated node, in the forms {@code RaftNode}'s API takes: what the
 * application's clients send, whatever the application is.
 */
sealed interface SimRequest {

    /** {@code RaftNode.submit}. */
    record Write(byte[] command) implements SimRequest {}

    /** {@code RaftNode.query} at {@code consistency}. */
    record Read(byte[] query, ReadConsistency consistency) implements SimRequest {}

    /** {@code RaftNode.openSession}; the answer is the session's id (8 bytes). */
    record OpenSession() implements SimRequest {}

    /** {@code RaftNode.submitInSession}, one write in flight per session: it acknowledges every answer below {@code sequence}. */
    record SessionWrite(long session, long sequence, byte[] command) implements SimRequest {}
}
