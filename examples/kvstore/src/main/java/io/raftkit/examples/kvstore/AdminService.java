package io.raftkit.examples.kvstore;

import io.raftkit.node.GroupChangeRefusedException;
import io.raftkit.node.Membership;
import io.raftkit.node.RaftNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Serves the {@code /admin} requests: the group's membership and leadership, through {@link RaftNode}'s
 * membership calls (a follower forwards a change to the leader, as it does a write).
 *
 * <p>A change is answered 200, with the membership as JSON ({@link MembershipJson}), once it is committed
 * and applied here (and, for a joint change, left); 409 with the reason when the group refuses it (another
 * change unfinished, an unknown node, an address in use, the last voter, a learner too far behind, a
 * transfer to a learner); otherwise as a write ({@link ErrorResponses}: 503 nothing happened, 504 the
 * change may still commit).
 */
final class AdminService {

    private final RaftNode node;
    private final Duration answerTimeout;

    AdminService(RaftNode node, Duration answerTimeout) {
        this.node = node;
        this.answerTimeout = answerTimeout;
    }

    CompletableFuture<KvResponse> handle(KvRequest.Admin request) {
        if (request instanceof KvRequest.Members) {
            return membership().thenApply(m -> KvResponse.json(MembershipJson.render(m, node.status().leader())));
        }
        try {
            if (request instanceof KvRequest.TransferLeader t) {
                return answer(node.transferLeadership(t.to()), leader -> KvResponse.json("{\"leader\":"
                        + StatusJson.string(leader) + "}"));
            }
            CompletableFuture<Membership> change;
            if (request instanceof KvRequest.AddLearner a) {
                change = node.addLearner(a.member(), a.address());
            } else if (request instanceof KvRequest.Promote p) {
                change = node.promote(p.member());
            } else {
                change = node.remove(((KvRequest.RemoveMember) request).member());
            }
            // The change's own answer holds no lags; show the membership as this node sees it now.
            return answer(change.thenCompose(ignored -> membership()),
                    m -> KvResponse.json(MembershipJson.render(m, node.status().leader())));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(forFailure(e));
        }
    }

    /** The membership with lags, asked off the HTTP event loop (it waits for the node's loop). */
    CompletableFuture<Membership> membership() {
        return CompletableFuture.supplyAsync(node::membership);
    }

    private <T> CompletableFuture<KvResponse> answer(CompletableFuture<T> f,
                                                     java.util.function.Function<T, KvResponse> ok) {
        return f.thenApply(v -> v).orTimeout(answerTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((v, failure) -> failure == null ? ok.apply(v) : forFailure(failure));
    }

    static KvResponse forFailure(Throwable failure) {
        Throwable t = ErrorResponses.unwrap(failure);
        if (t instanceof GroupChangeRefusedException r) {
            return KvResponse.text(409, "refused (" + r.reason() + "): " + r.getMessage());
        }
        if (t.getClass() == io.raftkit.node.RaftException.class) {
            // A transfer that did not go as asked (given up, or leadership went elsewhere): nothing to undo.
            return KvResponse.text(503, "not done: " + t.getMessage());
        }
        KvResponse asWrite = ErrorResponses.forWrite(t);
        if (asWrite.status() == 504) {
            return KvResponse.text(504, "outcome unknown: the change may or may not have been committed ("
                    + t.getMessage() + "); read GET /admin/members before retrying");
        }
        return asWrite;
    }
}
