package io.raftkit.node;

import io.raftkit.core.RaftRole;
import java.util.Map;

/**
 * A point-in-time view of a node.
 *
 * @param id this node's id
 * @param role its role in {@code term}
 * @param term its current term
 * @param leader the leader it knows of, or null
 * @param commitIndex the highest index it knows to be committed
 * @param appliedIndex the highest index its state machine has applied
 * @param lastSnapshotIndex the index of its latest snapshot (0 if none)
 * @param members every member's id and address
 * @param failure why the node stopped, or null while it runs
 * @param diskStalled whether a log or vote write has been outstanding past
 *     {@code NodeOptions.diskStallTimeout}: the node neither leads nor stands for election, and its reads
 *     fail at once, until its disk answers
 * @param budgets how much of each memory budget the node uses now
 */
public record NodeStatus(String id, RaftRole role, long term, String leader, long commitIndex, long appliedIndex,
                         long lastSnapshotIndex, Map<String, String> members, String failure, boolean diskStalled,
                         BudgetUse budgets) {}
