package io.raftkit.core;

import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.VoteRequest;
import io.raftkit.core.message.VoteResponse;
import java.util.ArrayList;
import java.util.List;

/** What the core has produced since the last {@link Ready}: collected here, handed out at once. */
final class Outbox {

    List<Message> messages = new ArrayList<>();
    List<Message> afterPersist = new ArrayList<>();
    List<ReadState> readStates = new ArrayList<>();
    List<ProposalAccepted> accepted = new ArrayList<>();
    List<RequestRejected> rejected = new ArrayList<>();
    List<String> snapshotsToSend = new ArrayList<>();
    List<DelegateSnapshot> snapshotsToDonate = new ArrayList<>();

    /**
     * Queues a message, holding back those that promise durable state: a candidate's vote request
     * (its term and self-vote), a real vote answer (the vote), an append or snapshot acknowledgement
     * (the entries).
     */
    void send(Message m) {
        boolean promisesDurability;
        if (m instanceof VoteRequest v) {
            promisesDurability = !v.preVote();
        } else if (m instanceof VoteResponse v) {
            promisesDurability = !v.preVote();
        } else if (m instanceof AppendResponse a) {
            promisesDurability = a.success();
        } else {
            promisesDurability = m instanceof InstallSnapshotResponse;
        }
        (promisesDurability ? afterPersist : messages).add(m);
    }

    void reject(long requestId, RequestRejected.Reason reason) {
        rejected.add(new RequestRejected(requestId, reason));
    }

    void reject(long requestId, RequestRejected.Reason reason, String detail) {
        rejected.add(new RequestRejected(requestId, reason, detail));
    }

    boolean isEmpty() {
        return messages.isEmpty() && afterPersist.isEmpty() && readStates.isEmpty() && accepted.isEmpty()
                && rejected.isEmpty() && snapshotsToSend.isEmpty()
                && snapshotsToDonate.isEmpty();
    }

    /** Starts new lists; the old ones now belong to a Ready. */
    void clear() {
        messages = new ArrayList<>();
        afterPersist = new ArrayList<>();
        readStates = new ArrayList<>();
        accepted = new ArrayList<>();
        rejected = new ArrayList<>();
        snapshotsToSend = new ArrayList<>();
        snapshotsToDonate = new ArrayList<>();
    }
}
