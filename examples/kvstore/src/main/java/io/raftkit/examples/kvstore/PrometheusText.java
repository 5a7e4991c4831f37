package io.raftkit.examples.kvstore;

import io.raftkit.core.RaftRole;
import io.raftkit.node.LatencyHistogram;
import io.raftkit.node.NodeMetrics;
import java.util.Map;

/**
 * Renders a node's {@link NodeMetrics} in the Prometheus text exposition format (version 0.0.4), for
 * {@code GET /metrics}. Every series carries a {@code node} label, so that one scrape configuration
 * serves every member; latencies are histograms in seconds.
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);
    private final String node;

    private PrometheusText(String node) {
        this.node = node;
    }

    /** @param lag on the leader, each member's lag in entries (empty elsewhere) */
    static String render(String nodeId, NodeMetrics m, Map<String, Long> lag) {
        PrometheusText t = new PrometheusText(nodeId);
        t.counter("raftkit_writes_total", "Writes completed with the state machine's result.", m.writes());
        t.counter("raftkit_writes_failed_total", "Writes that failed, refusals included.", m.writesFailed());
        t.counter("raftkit_reads_total", "Queries answered.", m.reads());
        t.counter("raftkit_reads_failed_total", "Queries that failed, refusals included.", m.readsFailed());
        t.counter("raftkit_requests_rejected_total", "Requests refused up front (too large, overloaded, closed).",
                m.rejected());
        t.counter("raftkit_leader_changes_total", "Changes of the leader this node knows of.", m.leaderChanges());
        t.counter("raftkit_campaigns_total", "Times this node began to stand for election.", m.campaigns());
        t.counter("raftkit_snapshots_taken_total", "Snapshots taken of the state machine.", m.snapshotsTaken());
        t.counter("raftkit_snapshots_installed_total", "Snapshots installed.", m.snapshotsInstalled());
        t.counter("raftkit_snapshots_sent_total", "Snapshots sent whole, as leader or for one.", m.snapshotsSent());
        t.counter("raftkit_inbound_dropped_total", "Peer messages dropped on arrival over their sender's budget.",
                m.inboundDropped());
        t.gauge("raftkit_term", "The current term.", m.term());
        t.gauge("raftkit_commit_index", "The highest index known committed.", m.commitIndex());
        t.gauge("raftkit_applied_index", "The highest index applied.", m.appliedIndex());
        t.gauge("raftkit_pending_requests", "Requests waiting for an answer.", m.pendingRequests());
        t.gauge("raftkit_pending_bytes", "Payload bytes of the requests waiting for an answer.", m.pendingBytes());
        t.gauge("raftkit_uncommitted_bytes", "On the leader, entry bytes appended in its term and not committed.",
                m.uncommittedBytes());
        t.gauge("raftkit_apply_queue_bytes", "Committed entry bytes waiting for the state machine.", m.applyQueueBytes());
        t.gauge("raftkit_applies_on_event_loop", "1 while the event loop applies committed entries itself (0: turned"
                + " off, or a slow state machine was handed to the apply thread).", m.appliesOnEventLoop() ? 1 : 0);
        t.gauge("raftkit_sessions_open", "Client sessions open in the group, as of the entries applied here.",
                m.sessionsOpen());
        t.gauge("raftkit_session_answer_bytes", "Bytes of answers client sessions keep for retries.",
                m.sessionAnswerBytes());
        RaftRole role = m.role();
        t.header("raftkit_role", "1 for the role this node has now.", "gauge");
        for (RaftRole r : RaftRole.values()) {
            t.sample("raftkit_role", ",role=\"" + r.name() + "\"", r == role ? 1 : 0);
        }
        t.header("raftkit_member_lag_entries", "On the leader: entries each member is behind its log.", "gauge");
        lag.forEach((member, entries) -> t.sample("raftkit_member_lag_entries", ",member=\"" + member + "\"", entries));
        t.histogram("raftkit_write_latency_seconds", "From submit to a successful write's answer.", m.writeLatency());
        t.histogram("raftkit_read_latency_seconds", "From query to its answer.", m.readLatency());
        t.histogram("raftkit_persist_latency_seconds", "From handing log entries to storage to their being durable.",
                m.persistLatency());
        t.histogram("raftkit_snapshot_latency_seconds", "Taking one snapshot, written and synced.", m.snapshotLatency());
        return t.out.toString();
    }

    private void header(String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String extraLabels, double value) {
        out.append(name).append("{node=\"").append(node).append('"').append(extraLabels).append("} ")
                .append(number(value)).append('\n');
    }

    private void counter(String name, String help, long value) {
        header(name, help, "counter");
        sample(name, "", value);
    }

    private void gauge(String name, String help, long value) {
        header(name, help, "gauge");
        sample(name, "", value);
    }

    private void histogram(String name, String help, LatencyHistogram h) {
        header(name, help, "histogram");
        long[] bounds = LatencyHistogram.boundsNanos();
        long[] counts = h.counts();
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i];
            sample(name + "_bucket", ",le=\"" + number(bounds[i] / 1e9) + "\"", cumulative);
        }
        cumulative += counts[bounds.length];
        sample(name + "_bucket", ",le=\"+Inf\"", cumulative);
        sample(name + "_sum", "", h.sumNanos() / 1e9);
        sample(name + "_count", "", cumulative);
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
