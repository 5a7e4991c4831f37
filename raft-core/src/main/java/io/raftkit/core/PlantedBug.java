package io.raftkit.core;

/**
 * Known safety bugs that tests can plant in a core to prove that the simulator's checkers catch them.
 * A checker that never fails proves nothing. Never planted outside tests: the only way to plant one is
 * a package-private method reached from test code.
 */
enum PlantedBug {
    /** The leader commits an entry of an earlier term by counting replicas (violates Figure 8). */
    COMMIT_OLD_TERM_BY_COUNTING,
    /** Votes are granted without the "candidate's log is at least as up-to-date" check. */
    VOTE_WITHOUT_LOG_CHECK,
    /** Append acknowledgements leave before the entries are durable. */
    ACK_BEFORE_DURABLE,
    /** The leader serves linearizable reads without confirming its leadership with a heartbeat round. */
    READ_WITHOUT_HEARTBEAT_ROUND,
    /** A follower installs every snapshot it receives, even one at or below its commit index (a stale one). */
    INSTALL_STALE_SNAPSHOT
}
