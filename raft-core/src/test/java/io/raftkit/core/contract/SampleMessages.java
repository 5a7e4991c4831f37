package io.raftkit.core.contract;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.DelegateSnapshotResponse;
import io.raftkit.core.message.ForwardProposal;
import io.raftkit.core.message.ForwardProposalResponse;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.HeartbeatResponse;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.ReadIndexRequest;
import io.raftkit.core.message.ReadIndexResponse;
import io.raftkit.core.message.TimeoutNow;
import io.raftkit.core.message.VoteRequest;
import io.raftkit.core.message.VoteResponse;
import java.util.List;

/** One or more instances of every message type, including edge values, for transport and codec tests. */
public final class SampleMessages {

    private SampleMessages() {}

    /** Every message type at least once, from {@code from} to {@code to}. */
    public static List<Message> all(String from, String to) {
        byte[] large = new byte[256 * 1024];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) i;
        }
        long max = Long.MAX_VALUE;
        return List.of(
                new VoteRequest(from, to, 7, 100, 6, false),
                new VoteRequest(from, to, max, max, max, true),
                new VoteResponse(from, to, 7, true, false),
                new VoteResponse(from, to, 8, false, true),
                new AppendRequest(from, to, 3, 10, 2, List.of(), 9),
                new AppendRequest(from, to, 3, 10, 2, List.of(
                        Entry.command(3, 11, "hello".getBytes()),
                        Entry.noop(3, 12),
                        new Entry(3, 13, EntryType.CONFIGURATION, Configuration.of("a", "b").encode()),
                        Entry.command(3, 14, new byte[0]),
                        Entry.command(3, 15, large)), 12),
                new AppendRequest(from, to, max, max - 1, max, List.of(Entry.command(max, max, new byte[] {1})), max),
                AppendResponse.success(from, to, 3, 15),
                AppendResponse.reject(from, to, 4, 10, 2, 5),
                new Heartbeat(from, to, 9, 44, 3),
                new HeartbeatResponse(from, to, 9, 3),
                new ReadIndexRequest(from, to, 9, 123456789L),
                new ReadIndexResponse(from, to, 9, 123456789L, 77, true),
                new ReadIndexResponse(from, to, 9, 5, 0, false),
                new ForwardProposal(from, to, 2, 99, List.of("a".getBytes(), new byte[0], large)),
                new ForwardProposal(from, to, 2, 100, List.of("b".getBytes(), new byte[] {2, 0, 1}),
                        List.of(io.raftkit.core.EntryType.COMMAND, io.raftkit.core.EntryType.SESSION)),
                new ForwardProposalResponse(from, to, 2, 99, 1000, true),
                ForwardProposalResponse.overloaded(from, to, 2, 101),
                new ForwardProposalResponse(from, to, 2, 100, 0, false),
                new ForwardProposalResponse(from, to, 2, 101, 0, false, true),
                new io.raftkit.core.message.GroupChangeRequest(from, to, 3, 7, io.raftkit.core.GroupChange.addLearner("n4", "h4:7001")),
                new io.raftkit.core.message.GroupChangeRequest(from, to, 3, 8, io.raftkit.core.GroupChange.transferLeadership(null)),
                new io.raftkit.core.message.GroupChangeRequest(from, to, 3, 9, io.raftkit.core.GroupChange.replace(
                        new Configuration(java.util.Set.of("a", "b"), java.util.Set.of(), java.util.Set.of("c"), java.util.Map.of("c", "h:1")))),
                io.raftkit.core.message.GroupChangeResponse.accepted(from, to, 3, 7, 42),
                io.raftkit.core.message.GroupChangeResponse.refused(from, to, 3, 8, "TRANSFERRING", "n4 is a learner"),
                new VoteRequest(from, to, 8, 12, 7, false, true),
                new InstallSnapshot(from, to, 5, from, new SnapshotMeta(500, 4, Configuration.of("a", "b", "c")),
                        0, large, false),
                new InstallSnapshot(from, to, 5, "n9", new SnapshotMeta(500, 4, Configuration.of("a")),
                        large.length, new byte[0], true),
                // A joint configuration with a learner and addresses: every part must cross the wire.
                new InstallSnapshot(from, to, 5, from, new SnapshotMeta(501, 4, new Configuration(java.util.Set.of("a", "d"),
                        java.util.Set.of("a", "b", "c"), java.util.Set.of("e"), java.util.Map.of("a", "h1:1", "e", "h5:5"))),
                        0, new byte[] {1}, true),
                new InstallSnapshotResponse(from, to, 5, 500, 262144, true),
                new TimeoutNow(from, to, 6),
                new DelegateSnapshot(from, to, 5, "n3", 500),
                new DelegateSnapshot(from, to, 5, "n3", 0),
                new DelegateSnapshotResponse(from, to, 5, "n3", DelegateSnapshotResponse.Outcome.SENDING),
                new DelegateSnapshotResponse(from, to, 5, "n3", DelegateSnapshotResponse.Outcome.SENT),
                new DelegateSnapshotResponse(from, to, 5, "n3", DelegateSnapshotResponse.Outcome.NOT_SENT));
    }
}
