package io.raftkit.node;

import io.raftkit.core.Configuration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Membership changes the core accepted at (index, term), waiting until they are done: their entry applied
 * at that index in that term, and the group out of any joint configuration (auto-leave may take a second
 * entry). Each completes with the encoding of the configuration then in force, or fails with
 * {@link NotCommittedException} when a new leader replaced its entry. Single-threaded: the applier's.
 */
final class ConfigurationWaiters {

    /** Accepted and not yet applied. */
    private final List<ApplyTask.AwaitConfiguration> awaited = new ArrayList<>();
    /** Applied, waiting for the group to leave a joint configuration. */
    private final List<ApplyTask.AwaitConfiguration> leavingJoint = new ArrayList<>();

    boolean isEmpty() {
        return awaited.isEmpty() && leavingJoint.isEmpty();
    }

    /** A change accepted at ({@code a.index()}, {@code a.term()}), asked about with the state as applied so far. */
    void await(ApplyTask.AwaitConfiguration a, long appliedIndex, RecentResults recent, Configuration current) {
        if (a.index() > appliedIndex) {
            awaited.add(a);
        } else if (!recent.holds(a.index())) {
            a.future().completeExceptionally(new IndeterminateException(
                    "the configuration change at index " + a.index() + " was applied too long ago to say"));
        } else if (recent.term(a.index()) != a.term()) {
            a.future().completeExceptionally(new NotCommittedException("the configuration change was replaced by a"
                    + " new leader's entry (term " + recent.term(a.index()) + ", written in term " + a.term() + ")"));
        } else {
            leavingJoint.add(a);
            settle(current);
        }
    }

    /** The entry at ({@code index}, {@code term}) was applied, leaving {@code current} in force. */
    void applied(long index, long term, Configuration current) {
        for (Iterator<ApplyTask.AwaitConfiguration> it = awaited.iterator(); it.hasNext(); ) {
            ApplyTask.AwaitConfiguration a = it.next();
            if (a.index() == index) {
                it.remove();
                if (a.term() != term) {
                    a.future().completeExceptionally(new NotCommittedException("the configuration change was replaced"
                            + " by a new leader's entry (term " + term + ", written in term " + a.term() + ")"));
                } else {
                    leavingJoint.add(a);
                }
            }
        }
        settle(current);
    }

    /** A snapshot covering {@code covered} was installed, with {@code current} in force. */
    void snapshotInstalled(long covered, Configuration current) {
        for (Iterator<ApplyTask.AwaitConfiguration> it = awaited.iterator(); it.hasNext(); ) {
            ApplyTask.AwaitConfiguration a = it.next();
            if (a.index() <= covered) {
                it.remove();
                a.future().completeExceptionally(new IndeterminateException("a snapshot covering index " + a.index()
                        + " was installed; whether the configuration change is in it is unknown"));
            }
        }
        settle(current);
    }

    /** The node stopped: every change still waiting fails with {@code reason}. */
    void failAll(RaftException reason) {
        for (ApplyTask.AwaitConfiguration a : awaited) {
            a.future().completeExceptionally(reason);
        }
        awaited.clear();
        for (ApplyTask.AwaitConfiguration a : leavingJoint) {
            a.future().completeExceptionally(reason);
        }
        leavingJoint.clear();
    }

    private void settle(Configuration current) {
        if (!current.joint() && !leavingJoint.isEmpty()) {
            byte[] encoded = current.encode();
            for (ApplyTask.AwaitConfiguration a : leavingJoint) {
                a.future().complete(encoded);
            }
            leavingJoint.clear();
        }
    }
}
