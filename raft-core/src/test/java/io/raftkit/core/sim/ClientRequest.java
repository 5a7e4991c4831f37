package io.raftkit.core.sim;

/**
 * A client's request as it reaches a node: what the node hands to its core (a proposal or a read), and
 * the operation it belongs to.
 *
 * @param command the encoded write, or null for a read
 */
record ClientRequest(long requestId, Operation.Kind kind, Operation.ReadMode mode, String key, KvCommand command) {

    boolean isWrite() {
        return command != null;
    }
}
