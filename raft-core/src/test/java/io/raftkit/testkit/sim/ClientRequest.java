package io.raftkit.testkit.sim;

/**
 * A client's request as it reaches a node: what the node hands to its core (a proposal or a read), and
 * the operation it belongs to.
 *
 * @param command the encoded write, or null for a read
 * @param session for a write through a client session, the session's id; else 0
 * @param sequence for a write through a client session, its sequence number (the same on every retry)
 * @param openSession a request to open a client session (no operation of the history)
 */
record ClientRequest(long requestId, Operation.Kind kind, Operation.ReadMode mode, String key, KvCommand command,
                     long session, long sequence, boolean openSession) {

    ClientRequest(long requestId, Operation.Kind kind, Operation.ReadMode mode, String key, KvCommand command) {
        this(requestId, kind, mode, key, command, 0, 0, false);
    }

    static ClientRequest open(long requestId) {
        return new ClientRequest(requestId, null, null, null, null, 0, 0, true);
    }

    boolean isWrite() {
        return command != null;
    }

    boolean inSession() {
        return session != 0;
    }
}
