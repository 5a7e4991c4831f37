package io.raftkit.node;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * The node's JDK Flight Recorder events, so that {@code jcmd <pid> JFR.start} explains a latency spike
 * without a debugger: elections and leader changes, slow log writes and applies, snapshots, and stalls of
 * the event loop. They cost nothing measurable while no recording runs. Category "RaftKit" in JDK Mission
 * Control; each carries the node's id.
 */
final class FlightEvents {

    private FlightEvents() {}

    @Name("io.raftkit.LeaderChange")
    @Label("Leader Change")
    @Category("RaftKit")
    @Description("The leader this node knows of changed")
    @StackTrace(false)
    static final class LeaderChange extends Event {
        @Label("Node") String node;
        @Label("Term") long term;
        @Label("Leader") String leader;
    }

    @Name("io.raftkit.Campaign")
    @Label("Campaign")
    @Category("RaftKit")
    @Description("This node began to stand for election")
    @StackTrace(false)
    static final class Campaign extends Event {
        @Label("Node") String node;
        @Label("Term") long term;
        @Label("Pre-vote") boolean preVote;
    }

    @Name("io.raftkit.LogWrite")
    @Label("Log Write")
    @Category("RaftKit")
    @Description("A batch of log entries handed to storage until durable (fsync included)")
    @Threshold("10 ms")
    @StackTrace(false)
    static final class LogWrite extends Event {
        @Label("Node") String node;
        @Label("Entries") int entries;
        @Label("First Index") long firstIndex;
    }

    @Name("io.raftkit.Apply")
    @Label("Apply")
    @Category("RaftKit")
    @Description("A batch of committed entries applied to the state machine")
    @Threshold("10 ms")
    @StackTrace(false)
    static final class Apply extends Event {
        @Label("Node") String node;
        @Label("Entries") int entries;
        @Label("Last Index") long lastIndex;
    }

    @Name("io.raftkit.Snapshot")
    @Label("Snapshot")
    @Category("RaftKit")
    @Description("A snapshot taken, installed from a leader, or sent to a follower")
    @StackTrace(false)
    static final class Snapshot extends Event {
        @Label("Node") String node;
        @Label("Kind") String kind;
        @Label("Index") long index;
        @Label("Peer") String peer;
        @Label("Success") boolean success;
    }

    @Name("io.raftkit.WriteStages")
    @Label("Write Stages")
    @Category("RaftKit")
    @Description("Where one sampled write's time went on the node that accepted it (one write in 16, by index):"
            + " queue to the event loop, its own log write, its commit, the apply, the first append carrying it"
            + " and the first follower's acknowledgement of it (see StageTracer)")
    @StackTrace(false)
    static final class WriteStages extends Event {
        @Label("Node") String node;
        @Label("Index") long index;
        @Label("Queue") @Timespan(Timespan.NANOSECONDS) long queueNanos;
        @Label("Persist") @Timespan(Timespan.NANOSECONDS) long persistNanos;
        @Label("Commit") @Timespan(Timespan.NANOSECONDS) long commitNanos;
        @Label("Apply") @Timespan(Timespan.NANOSECONDS) long applyNanos;
        @Label("Send") @Timespan(Timespan.NANOSECONDS) long sendNanos;
        @Label("Round Trip") @Timespan(Timespan.NANOSECONDS) long roundTripNanos;
    }

    @Name("io.raftkit.FollowerAppend")
    @Label("Follower Append")
    @Category("RaftKit")
    @Description("On a follower, one sampled entry in 16: from its event loop taking the leader's append to its"
            + " own write of the entry being durable (its acknowledgement goes out then)")
    @StackTrace(false)
    static final class FollowerAppend extends Event {
        @Label("Node") String node;
        @Label("Index") long index;
        @Label("Persist") @Timespan(Timespan.NANOSECONDS) long persistNanos;
    }

    @Name("io.raftkit.LoopStall")
    @Label("Event Loop Stall")
    @Category("RaftKit")
    @Description("The node's event loop did not run for more than two tick intervals (GC, a stopped process,"
            + " an overloaded machine): the ticks it missed were delivered at once")
    @StackTrace(false)
    static final class LoopStall extends Event {
        @Label("Node") String node;
        @Label("Missed Ticks") long missedTicks;
        @Label("Stalled") @Timespan(Timespan.NANOSECONDS) long stalledNanos;
    }
}
