package io.raftkit.examples.kvstore;

import io.raftkit.testkit.check.History;
import io.raftkit.testkit.check.LinearizabilityChecker;
import io.raftkit.testkit.check.Operation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Clients that write and read a few keys over HTTP, through whichever nodes {@code targets} names at the
 * moment, until stopped, and record every operation in a testkit {@link History} checked against
 * {@link KvRegisterModel}: each PUT writes a value unique in the run, so a read names the write it saw. The outcome of each answer follows the
 * kvstore's contract: 200 (and a read's 404) happened, a 503 without "outcome unknown" did not, anything
 * else (504, a 503 that says the outcome is unknown, a broken connection) may have, at any later time.
 *
 * <p>Also the write-availability figure: the longest stretch of wall time in which no write succeeded.
 */
final class HistoryClients implements AutoCloseable {

    private static final int KEYS = 4;

    private final Supplier<List<String>> targets;
    private final KvHttpClient client = new KvHttpClient();
    private final AtomicLong ids = new AtomicLong();
    private final History<KvRegisterModel.Op, String> history = new History<>();
    private final List<Long> writeSuccessNanos = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /** @param targets the URLs requests may go to now (read again before each request) */
    HistoryClients(int clients, Supplier<List<String>> targets) {
        this.targets = targets;
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(this::run, "history-client-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    private void run() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stopped) {
            List<String> urls = targets.get();
            String url = urls.get(random.nextInt(urls.size()));
            String key = "h" + random.nextInt(KEYS);
            long id = ids.incrementAndGet();
            if (random.nextBoolean()) {
                put(id, url, key, "w" + id);
            } else {
                read(url, key);
            }
        }
    }

    private void put(long id, String url, String key, String value) {
        long op = history.invoke(KvRegisterModel.Op.put(key, value), url);
        try {
            KvHttpClient.Reply r = client.put(url, key, value);
            if (r.status() == 200) {
                history.ok(op, null);
                writeSuccessNanos.add(System.nanoTime());
            } else if (r.status() == 503 && !r.text().contains("outcome unknown")) {
                history.failed(op);
            } else {
                history.unknown(op);
            }
        } catch (IOException e) {
            history.unknown(op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            history.unknown(op);
        }
    }

    private void read(String url, String key) {
        long op = history.invoke(KvRegisterModel.Op.read(key), url);
        try {
            KvHttpClient.Reply r = client.get(url, key, "linearizable");
            if (r.status() == 200 || r.status() == 404) {
                history.ok(op, r.status() == 200 ? r.text() : null);
            } else {
                history.failed(op); // a failed read changed nothing and claims nothing
            }
        } catch (IOException e) {
            history.failed(op); // as above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            history.failed(op);
        }
    }

    /** Stops the clients and waits for their last requests to end. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }

    /** Operations answered OK so far, writes and reads. */
    long acknowledged() {
        return history.operations().stream().filter(o -> o.outcome() == Operation.Outcome.OK).count();
    }

    long acknowledgedWrites() {
        return writeSuccessNanos.size();
    }

    /** The checker's verdict on the whole history; call after {@link #close}. */
    LinearizabilityChecker.Result check() {
        return LinearizabilityChecker.check(new KvRegisterModel(), history.operations());
    }

    /** The longest time, in milliseconds, between two successful writes in {@code [fromNanos, toNanos]}. */
    double longestWriteGapMillis(long fromNanos, long toNanos) {
        List<Long> times;
        synchronized (writeSuccessNanos) {
            times = new ArrayList<>(writeSuccessNanos);
        }
        Collections.sort(times);
        long previous = fromNanos;
        long longest = 0;
        for (long t : times) {
            if (t < fromNanos || t > toNanos) {
                continue;
            }
            longest = Math.max(longest, t - previous);
            previous = t;
        }
        longest = Math.max(longest, toNanos - previous);
        return longest / 1e6;
    }

    String summary() {
        List<Operation<KvRegisterModel.Op, String>> ops = history.operations();
        long ok = ops.stream().filter(o -> o.outcome() == Operation.Outcome.OK).count();
        long unknown = ops.stream().filter(o -> o.outcome() == Operation.Outcome.UNKNOWN).count();
        long failed = ops.stream().filter(o -> o.outcome() == Operation.Outcome.FAILED).count();
        return ops.size() + " operations: " + ok + " ok, " + failed + " failed, " + unknown + " indeterminate";
    }
}
