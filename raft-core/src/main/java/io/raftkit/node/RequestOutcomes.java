package io.raftkit.node;

import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.RequestRejected;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * How the driver's pending requests end when the applier does not answer them: turned down by the core
 * (retried, or failed with the exception that tells the caller what became of the request), out of time,
 * or, for a leadership transfer, seen through once this node learns of the next leader. Every future
 * completes on the apply thread, never on the driver's, so that a caller's callbacks cannot hold it up.
 *
 * <p>Not thread-safe: the driver's thread only.
 */
final class RequestOutcomes {

    private final RaftCore core;
    private final PendingRequests requests;
    private final NodeOptions options;
    /** Hands a task to the applier, in order. */
    private final Consumer<ApplyTask> apply;
    /** Leadership transfers asked for and not yet seen through (also in {@link #requests}). */
    private final List<PendingRequest> transfers = new ArrayList<>();

    RequestOutcomes(RaftCore core, PendingRequests requests, NodeOptions options, Consumer<ApplyTask> apply) {
        this.core = core;
        this.requests = requests;
        this.options = options;
        this.apply = apply;
    }

    /** A leadership transfer was asked for: it ends in {@link #settleTransfers}, or as any request does. */
    void watchTransfer(PendingRequest r) {
        transfers.add(r);
    }

    /** Completes {@code r} with the id of the node that leads now. */
    void ledBy(PendingRequest r, String leader) {
        byte[] id = leader.getBytes(StandardCharsets.UTF_8);
        apply.accept(new ApplyTask.Callback(() -> r.future.complete(id), r.future));
    }

    /** Fails a request's future on the applier's side, so that its callbacks never run on this thread. */
    void fail(PendingRequest r, RaftException e) {
        apply.accept(new ApplyTask.Callback(() -> r.future.completeExceptionally(e), r.future));
    }

    /** {@code r} was not answered within {@code NodeOptions.requestTimeout}: says what may have happened to it. */
    void timedOut(PendingRequest r) {
        fail(r, timeoutFailure(r));
    }

    private RaftException timeoutFailure(PendingRequest r) {
        if (r.change != null && !r.change.changesMembership()) {
            return new RaftException("the leadership transfer (" + r.change + ") was not done within "
                    + options.requestTimeout() + " (leader " + core.leader() + ", term " + core.term() + ")");
        }
        String what = r.change != null ? "change (" + r.change + ")" : r.write ? "write" : "read";
        if (r.write && (r.reachedLeader || r.handedOff)) {
            return new IndeterminateException("no outcome for the " + what + " within " + options.requestTimeout()
                    + " (leader " + core.leader() + ", term " + core.term() + ")");
        }
        if (core.leader() == null) {
            return new NoLeaderException("no leader within " + options.requestTimeout() + " for the " + what);
        }
        return new RequestTimeoutException("the " + what + " was not served within " + options.requestTimeout()
                + " (leader " + core.leader() + ", term " + core.term() + ")");
    }

    /** The core turned a request down: it waits for a retry, or ends here. */
    void rejected(RequestRejected x) {
        PendingRequest p = requests.inCore(x.requestId());
        if (p == null) {
            return;
        }
        if (p.change != null && !p.change.changesMembership() && x.reason() == RequestRejected.Reason.LEADER_CHANGED) {
            requests.remove(p); // leadership moved, as asked: settleTransfers sees whereto
            return;
        }
        if (p.change != null && x.reason() != RequestRejected.Reason.NO_LEADER
                && x.reason() != RequestRejected.Reason.NOT_LEADER
                && !(x.reason() == RequestRejected.Reason.TRANSFERRING && p.change.changesMembership())) {
            requests.remove(p);
            transfers.remove(p);
            fail(p, refusal(p, x));
            return;
        }
        switch (x.reason()) {
            // No leader yet, or it moved on, or it is handing over: retry at the next tick.
            case NO_LEADER, NOT_LEADER, TRANSFERRING -> requests.retryLater(p);
            case LEADER_CHANGED -> {
                if (p.write) {
                    requests.remove(p);
                    fail(p, new IndeterminateException(
                            "leadership changed while the write was in flight; it may or may not have been committed"));
                } else {
                    requests.retryLater(p);
                }
            }
            case UNCOMMITTED_FULL -> {
                requests.remove(p);
                fail(p, new RequestRejectedException(RequestRejectedException.Reason.OVERLOADED, x.detail()
                        + "; nothing was appended, retry later"));
            }
            case CHANGE_IN_PROGRESS, INVALID_CONFIGURATION -> {
                requests.remove(p);
                fail(p, new RaftException("the configuration change was refused (" + x.reason() + "): " + x.detail()));
            }
        }
    }

    /** What a caller of a group change sees of the core's refusal. */
    private static RaftException refusal(PendingRequest p, RequestRejected x) {
        String what = p.change + " refused: " + x.detail();
        return switch (x.reason()) {
            case CHANGE_IN_PROGRESS -> new GroupChangeRefusedException(GroupChangeRefusedException.Reason.CHANGE_IN_PROGRESS, what);
            case INVALID_CONFIGURATION -> new GroupChangeRefusedException(GroupChangeRefusedException.Reason.INVALID, what);
            case TRANSFERRING -> new GroupChangeRefusedException(GroupChangeRefusedException.Reason.TRANSFER_REFUSED, what);
            default -> new IndeterminateException("leadership changed while " + p.change
                    + " was in flight; it may or may not have taken effect");
        };
    }

    /** After each step: leadership transfers asked for here end when this node learns of the new leader. */
    void settleTransfers(String leader) {
        if (transfers.isEmpty() || leader == null) {
            return;
        }
        for (Iterator<PendingRequest> it = transfers.iterator(); it.hasNext(); ) {
            PendingRequest p = it.next();
            if (p.future.isDone()) {
                it.remove();
            } else if (p.transferStarted && core.role() == RaftRole.LEADER && core.transferee() == null) {
                // The core gave it up: the target did not take over in time, or became unreachable.
                it.remove();
                requests.remove(p);
                fail(p, new RaftException("the leadership transfer (" + p.change + ") was given up: "
                        + core.transferGivenUp() + "; " + core.id() + " still leads"));
            } else if (!leader.equals(p.leaderBefore)) {
                it.remove();
                requests.remove(p);
                String target = p.change.member();
                if (target == null || target.equals(leader)) {
                    ledBy(p, leader);
                } else {
                    fail(p, new RaftException("leadership went to " + leader + ", not to " + target));
                }
            }
        }
    }
}
