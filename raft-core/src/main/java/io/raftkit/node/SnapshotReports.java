package io.raftkit.node;

import io.raftkit.core.RaftCore;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Carries the {@link SnapshotSender}'s news from its I/O executor to the core, on the driver's thread, and
 * only while the core is still in the transfer's term: a transfer serves one leader's term, and a report
 * from an earlier one would be taken for this term's.
 */
final class SnapshotReports implements SnapshotSender.Reports {

    private final RaftCore core;
    private final Executor driver;
    private final LongAdder sent;

    SnapshotReports(RaftCore core, Executor driver, LongAdder sent) {
        this.core = core;
        this.driver = driver;
        this.sent = sent;
    }

    @Override
    public void finished(String peer, long term, boolean success) {
        FlightEvents.Snapshot event = new FlightEvents.Snapshot();
        if (event.shouldCommit()) {
            event.node = core.id();
            event.kind = "sent";
            event.peer = peer;
            event.success = success;
            event.commit();
        }
        if (success) {
            sent.increment();
        }
        driver.execute(() -> {
            if (core.term() == term) {
                core.snapshotSent(peer, success);
            }
        });
    }

    @Override
    public void sending(String peer, long term) {
        driver.execute(() -> {
            if (core.term() == term) {
                core.snapshotSending(peer);
            }
        });
    }
}
