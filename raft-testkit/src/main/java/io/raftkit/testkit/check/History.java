package io.raftkit.testkit.check;

import io.raftkit.node.RaftException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A record of what clients asked and were answered, for the {@link LinearizabilityChecker}. Record the
 * invocation just before sending a request and its end just after the answer arrives; the history puts
 * every event in one order, which is the real-time order the checker respects. Thread-safe: clients on
 * many threads share one history.
 *
 * <pre>{@code
 * History<String, Long> history = new History<>();
 * long op = history.invoke("inc", "client-1");
 * history.record(op, node.submit(INC), Duration.ofSeconds(5), Counter::decode);
 * }</pre>
 *
 * <p>{@link #record} waits for a RaftKit answer and records it by RaftKit's rules; {@link #ok},
 * {@link #failed} and {@link #unknown} record an outcome you decided yourself.
 *
 * @param <I> an operation's input
 * @param <O> an operation's output
 */
public final class History<I, O> {

    private final List<Operation<I, O>> ops = new ArrayList<>();
    private long clock;

    /** Records that {@code client} (any label, or null) is about to send {@code input} (not null); returns the operation's id. */
    public synchronized long invoke(I input, String client) {
        long id = ops.size();
        ops.add(new Operation<>(id, Objects.requireNonNull(input, "input"), null, null, ++clock, Long.MAX_VALUE, client));
        return id;
    }

    /**
     * Waits up to {@code timeout} for {@code answer} and records how operation {@code id} ended, as RaftKit
     * reports it: {@link #ok} with the decoded answer; {@link #failed} when the failure is a
     * {@link RaftException} that says it did not take effect; {@link #unknown} otherwise (it may have taken
     * effect, the wait timed out, or the thread was interrupted). Returns whether it ended OK.
     */
    public boolean record(long id, Future<byte[]> answer, Duration timeout, Function<byte[], ? extends O> decode) {
        byte[] value;
        try {
            value = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RaftException r && !r.mayHaveTakenEffect()) {
                failed(id);
            } else {
                unknown(id);
            }
            return false;
        } catch (TimeoutException e) {
            unknown(id);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unknown(id);
            return false;
        }
        ok(id, decode.apply(value));
        return true;
    }

    /** Operation {@code id} took effect and returned {@code output}. */
    public synchronized void ok(long id, O output) {
        end(id, output, Operation.Outcome.OK, ++clock);
    }

    /** Operation {@code id} certainly did not take effect. */
    public synchronized void failed(long id) {
        end(id, null, Operation.Outcome.FAILED, ++clock);
    }

    /** Nobody knows whether operation {@code id} took effect (it may yet, at any time). */
    public synchronized void unknown(long id) {
        end(id, null, Operation.Outcome.UNKNOWN, Long.MAX_VALUE);
    }

    /**
     * Every operation so far. One that was invoked and has not ended counts as {@link Operation.Outcome#UNKNOWN}:
     * a client that gave up waiting knows no more than that.
     */
    public synchronized List<Operation<I, O>> operations() {
        List<Operation<I, O>> out = new ArrayList<>(ops.size());
        for (Operation<I, O> op : ops) {
            out.add(op.outcome() != null ? op
                    : new Operation<>(op.id(), op.input(), null, Operation.Outcome.UNKNOWN, op.invoke(), Long.MAX_VALUE, op.client()));
        }
        return out;
    }

    /**
     * A point in this history's order, for an event that is neither an invocation nor a completion (a
     * command's first application, say): it comes after everything recorded so far and before everything
     * recorded later.
     */
    public synchronized long mark() {
        return ++clock;
    }

    /** How many operations were invoked. */
    public synchronized int size() {
        return ops.size();
    }

    private void end(long id, O output, Operation.Outcome outcome, long at) {
        if (id < 0 || id >= ops.size()) {
            throw new IllegalArgumentException("no operation " + id + " in this history");
        }
        Operation<I, O> op = ops.get((int) id);
        if (op.outcome() != null) {
            throw new IllegalStateException("operation " + id + " already ended: " + op);
        }
        ops.set((int) id, new Operation<>(id, op.input(), output, outcome, op.invoke(), at, op.client()));
    }
}
