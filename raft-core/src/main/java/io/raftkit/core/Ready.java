package io.raftkit.core;

import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.Message;
import java.util.List;

/**
 * Everything the core produced since the last {@code ready()}: the driver's work list. Taking a Ready
 * hands its contents over; the core will not produce them again.
 *
 * <p>The driver's duties, in this order:
 * <ol>
 *   <li>When {@link #snapshotToInstall()} is non-null, submit {@code LogStorage.compact} with it and
 *       restore the state machine from that snapshot's data (which the driver received and stored before
 *       calling {@code RaftCore.installSnapshot}). This comes first because this Ready's entries and
 *       committed entries follow the snapshot.</li>
 *   <li>Submit {@link #entries()} and then {@link #hardState()} (when non-null) to {@link LogStorage}
 *       ({@code append}, {@code saveHardState}). An entries list whose first index is at or below the
 *       storage's last index replaces that suffix. Entries go first so that a durable commit hint never
 *       points past durable entries. When only the commit changed ({@code mustSync} is false and there
 *       are no entries) saving the hard state is optional: the commit is a hint.</li>
 *   <li>Send {@link #messages()} at once: none depends on this Ready's writes (the leader's own appends
 *       go out while it writes its log in parallel, Raft thesis 10.2.1).</li>
 *   <li>Send {@link #messagesAfterPersist()} only once every write submitted so far, including this
 *       Ready's, is durable: they promise durable state (votes, append acknowledgements).</li>
 *   <li>When this Ready's entries are durable, report it with {@code RaftCore.persisted(lastIndex,
 *       lastTerm)}; a leader counts itself towards a commit quorum only from then on.</li>
 *   <li>Apply {@link #committedEntries()} in order (they may be applied before they are locally durable:
 *       a majority holds them).</li>
 *   <li>Complete client requests from {@link #acceptedProposals()}, {@link #rejectedRequests()} and
 *       {@link #readStates()}; send snapshots to {@link #snapshotsToSend()}, and, on a follower the leader
 *       asked, to the targets of {@link #snapshotsToDonate()} (declining one when the latest snapshot
 *       held is older than its {@code minIndex}), reporting each transfer's end with
 *       {@code RaftCore.snapshotSent(peer, success)}.</li>
 * </ol>
 *
 * @param hardState term, vote and commit when any changed, else null
 * @param mustSync true when term or vote changed or entries are present: the write must be synced
 *     before {@link #messagesAfterPersist()} leave
 * @param entries entries to append to storage
 * @param messages messages to send now
 * @param messagesAfterPersist messages to send once every write so far is durable
 * @param committedEntries entries to apply, in order
 * @param readStates reads that became safe to serve
 * @param acceptedProposals proposals appended to the leader's log
 * @param rejectedRequests proposals and reads that failed
 * @param snapshotsToSend peers that need a snapshot because the entries they lack are compacted
 * @param snapshotsToDonate on a follower: the leader's requests to send a node this follower's latest
 *     snapshot on its behalf, each in {@link #term()}
 * @param snapshotToInstall a snapshot this follower must restore (its data arrives through the driver)
 * @param role the role at the time of this Ready
 * @param leader the known leader at the time of this Ready, or null
 * @param term the term at the time of this Ready
 */
public record Ready(HardState hardState, boolean mustSync, List<Entry> entries, List<Message> messages,
                    List<Message> messagesAfterPersist, List<Entry> committedEntries, List<ReadState> readStates,
                    List<ProposalAccepted> acceptedProposals, List<RequestRejected> rejectedRequests,
                    List<String> snapshotsToSend, List<DelegateSnapshot> snapshotsToDonate,
                    SnapshotMeta snapshotToInstall, RaftRole role, String leader,
                    long term) {

    /** The last entry to persist, or null. */
    public Entry lastEntry() {
        return entries.isEmpty() ? null : entries.get(entries.size() - 1);
    }
}
