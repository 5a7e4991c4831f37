package io.raftkit.node;

import java.util.concurrent.CompletableFuture;

/**
 * Writes the core accepted at (index, term), waiting for that index to be applied: each completes with
 * the result of the entry applied there, or fails with {@link NotCommittedException} when a new leader
 * put another entry (another term) at its index. Single-threaded: the applier's.
 */
final class ExpectedWrites {

    /** One write expected at an index; more than one when an entry was replaced and proposed again. */
    private static final class Expect {
        final long term;
        final CompletableFuture<byte[]> future;
        Expect next;

        Expect(long term, CompletableFuture<byte[]> future) {
            this.term = term;
            this.future = future;
        }
    }

    private final LongMap<Expect> byIndex = new LongMap<>();

    /**
     * A write accepted at ({@code index}, {@code term}): it waits here when {@code index} is beyond
     * {@code appliedIndex}, and is answered from {@code recent} at once otherwise.
     */
    void expect(long index, long term, CompletableFuture<byte[]> future, long appliedIndex, RecentResults recent) {
        if (index > appliedIndex) {
            Expect x = new Expect(term, future);
            x.next = byIndex.get(index);
            byIndex.put(index, x);
        } else if (recent.holds(index)) {
            complete(future, term, recent.term(index), recent.result(index));
        } else {
            future.completeExceptionally(new IndeterminateException(
                    "write at index " + index + " was applied too long ago to report its result"));
        }
    }

    /** The entry at ({@code index}, {@code term}) was applied with {@code result}: its writes complete. */
    void applied(long index, long term, Object result) {
        for (Expect x = byIndex.remove(index); x != null; x = x.next) {
            complete(x.future, x.term, term, result);
        }
    }

    /** A snapshot covering {@code covered} was installed: the writes expected up to it cannot learn their result. */
    void snapshotInstalled(long covered) {
        for (Expect head : byIndex.removeKeysIf(index -> index <= covered)) {
            for (Expect x = head; x != null; x = x.next) {
                x.future.completeExceptionally(new IndeterminateException("a snapshot covering index " + covered
                        + " was installed; the result of the write expected at or below it is unknown"));
            }
        }
    }

    /** The node stopped: every write still expected fails with {@code reason}. */
    void failAll(RaftException reason) {
        for (Expect head : byIndex.values()) {
            for (Expect x = head; x != null; x = x.next) {
                x.future.completeExceptionally(reason);
            }
        }
        byIndex.clear();
    }

    private static void complete(CompletableFuture<byte[]> f, long expectedTerm, long actualTerm, Object result) {
        if (expectedTerm != actualTerm) {
            f.completeExceptionally(new NotCommittedException(
                    "the write was replaced by a new leader's entry (term " + actualTerm + ", written in term "
                            + expectedTerm + ")"));
        } else if (result instanceof RaftException refused) {
            f.completeExceptionally(refused);
        } else {
            f.complete((byte[]) result);
        }
    }
}
