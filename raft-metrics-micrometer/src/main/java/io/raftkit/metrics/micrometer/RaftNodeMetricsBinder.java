package io.raftkit.metrics.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.raftkit.core.RaftRole;
import io.raftkit.node.LatencyHistogram;
import io.raftkit.node.NodeMetrics;
import io.raftkit.node.RaftNode;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds a {@link RaftNode}'s {@link NodeMetrics} to a Micrometer {@link MeterRegistry}: counters as
 * function counters, the node's state as gauges, and each latency histogram as a function timer (count
 * and total time). The registry reads the node's own counters when it publishes: binding adds no work
 * to the node's requests.
 *
 * <pre>{@code
 * new RaftNodeMetricsBinder(node).bindTo(registry);
 * }</pre>
 *
 * Every meter is named {@code raftkit.*} and tagged {@code node=<id>} (plus the tags given).
 */
public final class RaftNodeMetricsBinder implements MeterBinder {

    private final RaftNode node;
    private final Tags tags;

    /** Binds {@code node}'s metrics, tagged with its id and {@code extraTags}. */
    public RaftNodeMetricsBinder(RaftNode node, Tag... extraTags) {
        this.node = Objects.requireNonNull(node, "node");
        this.tags = Tags.of(extraTags).and("node", node.status().id());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        NodeMetrics m = node.metrics();
        counter(registry, "raftkit.writes", "Writes completed with the state machine's result", m, NodeMetrics::writes);
        counter(registry, "raftkit.writes.failed", "Writes that failed, refusals included", m, NodeMetrics::writesFailed);
        counter(registry, "raftkit.reads", "Queries answered", m, NodeMetrics::reads);
        counter(registry, "raftkit.reads.failed", "Queries that failed, refusals included", m, NodeMetrics::readsFailed);
        counter(registry, "raftkit.requests.rejected", "Requests refused up front", m, NodeMetrics::rejected);
        counter(registry, "raftkit.leader.changes", "Changes of the leader this node knows of", m,
                NodeMetrics::leaderChanges);
        counter(registry, "raftkit.campaigns", "Times this node began to stand for election", m, NodeMetrics::campaigns);
        counter(registry, "raftkit.snapshots.taken", "Snapshots taken", m, NodeMetrics::snapshotsTaken);
        counter(registry, "raftkit.snapshots.installed", "Snapshots installed", m, NodeMetrics::snapshotsInstalled);
        counter(registry, "raftkit.snapshots.sent", "Snapshots sent whole, as leader or for one", m,
                NodeMetrics::snapshotsSent);
        counter(registry, "raftkit.inbound.dropped", "Peer messages dropped on arrival over their sender's budget", m,
                NodeMetrics::inboundDropped);
        gauge(registry, "raftkit.term", "The current term", m, NodeMetrics::term);
        gauge(registry, "raftkit.commit.index", "The highest index known committed", m, NodeMetrics::commitIndex);
        gauge(registry, "raftkit.applied.index", "The highest index applied", m, NodeMetrics::appliedIndex);
        gauge(registry, "raftkit.pending.requests", "Requests waiting for an answer", m, NodeMetrics::pendingRequests);
        gauge(registry, "raftkit.pending.bytes", "Payload bytes of the requests waiting for an answer", m,
                NodeMetrics::pendingBytes);
        gauge(registry, "raftkit.uncommitted.bytes", "On the leader, entry bytes appended in its term and not committed",
                m, NodeMetrics::uncommittedBytes);
        gauge(registry, "raftkit.apply.queue.bytes", "Committed entry bytes waiting for the state machine", m,
                NodeMetrics::applyQueueBytes);
        gauge(registry, "raftkit.leader", "1 while this node leads", m, x -> x.role() == RaftRole.LEADER ? 1 : 0);
        gauge(registry, "raftkit.applies.on.event.loop", "1 while the event loop applies committed entries itself",
                m, x -> x.appliesOnEventLoop() ? 1 : 0);
        gauge(registry, "raftkit.members.lag.max", "On the leader, the most entries any member is behind", m,
                x -> x.lag().values().stream().mapToLong(Long::longValue).max().orElse(0));
        gauge(registry, "raftkit.sessions.open", "Client sessions open in the group", m, NodeMetrics::sessionsOpen);
        gauge(registry, "raftkit.sessions.answer.bytes", "Bytes of answers client sessions keep", m,
                NodeMetrics::sessionAnswerBytes);
        timer(registry, "raftkit.write.latency", "From submit to a successful write's answer", m.writeLatency());
        timer(registry, "raftkit.read.latency", "From query to its answer", m.readLatency());
        timer(registry, "raftkit.persist.latency", "Log entries handed to storage until durable", m.persistLatency());
        timer(registry, "raftkit.snapshot.latency", "Taking one snapshot", m.snapshotLatency());
    }

    private void counter(MeterRegistry r, String name, String help, NodeMetrics m, ToLongFunction<NodeMetrics> f) {
        FunctionCounter.builder(name, m, x -> f.applyAsLong(x)).description(help).tags(tags).register(r);
    }

    private void gauge(MeterRegistry r, String name, String help, NodeMetrics m, ToDoubleFunction<NodeMetrics> f) {
        Gauge.builder(name, m, f).description(help).tags(tags).register(r);
    }

    private void timer(MeterRegistry r, String name, String help, LatencyHistogram h) {
        FunctionTimer.builder(name, h, LatencyHistogram::count, x -> x.sumNanos(), TimeUnit.NANOSECONDS)
                .description(help).tags(tags).register(r);
    }
}
