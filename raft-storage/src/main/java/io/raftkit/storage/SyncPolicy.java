package io.raftkit.storage;

/** Whether a write is forced to the disk before its future completes. */
public enum SyncPolicy {
    /** fsync before acknowledging: writes survive a machine crash. The default. */
    DURABLE,
    /**
     * Never fsync: writes survive a process crash but not a machine crash. For tests and throwaway
     * clusters only; a Raft node on this policy may lose acknowledged entries and votes.
     */
    NONE
}
