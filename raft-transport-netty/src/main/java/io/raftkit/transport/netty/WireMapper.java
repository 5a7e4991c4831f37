package io.raftkit.transport.netty;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.EntryType;
import io.raftkit.core.GroupChange;
import io.raftkit.core.SnapshotMeta;
import io.raftkit.core.message.AppendRequest;
import io.raftkit.core.message.AppendResponse;
import io.raftkit.core.message.ForwardProposal;
import io.raftkit.core.message.ForwardProposalResponse;
import io.raftkit.core.message.GroupChangeRequest;
import io.raftkit.core.message.GroupChangeResponse;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.HeartbeatResponse;
import io.raftkit.core.message.DelegateSnapshot;
import io.raftkit.core.message.DelegateSnapshotResponse;
import io.raftkit.core.message.InstallSnapshot;
import io.raftkit.core.message.InstallSnapshotResponse;
import io.raftkit.core.message.Message;
import io.raftkit.core.message.ReadIndexRequest;
import io.raftkit.core.message.ReadIndexResponse;
import io.raftkit.core.message.TimeoutNow;
import io.raftkit.core.message.VoteRequest;
import io.raftkit.core.message.VoteResponse;
import io.raftkit.transport.netty.wire.Frame;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Maps between the core's {@link Message} records and the protobuf {@link Frame}: inbound a
 * {@link ParsedFrame} becomes a {@code Message}, outbound a {@code Message} becomes a {@code Frame}. The
 * only place that knows both shapes.
 *
 * <p>Outbound, payload arrays are wrapped, not copied: an {@link Entry} owns an immutable array. Inbound,
 * each payload is copied exactly once, from the (aliased) receive buffer into the array the core record
 * owns. A frame that parses but makes no sense (no body, a second handshake, an unknown entry type, an
 * invalid value) raises {@link CorruptFrameException}. Outbound {@code Frame}s (the handshake) pass through.
 *
 * <p>On the transport's path, the append request, which carries the entries, is written and read by
 * {@link AppendFrameCodec} instead, without protobuf objects; its mapping here is the reference that codec
 * is tested against.
 */
@Sharable
final class WireMapper extends MessageToMessageCodec<ParsedFrame, Message> {

    static final WireMapper INSTANCE = new WireMapper();

    private WireMapper() {}

    /**
     * An {@link AppendRequest} passes on unmapped: {@link WireEncoder} writes it with {@link AppendFrameCodec}.
     * (Inbound, that frame arrives here already read into the record, which passes too.)
     */
    @Override
    public boolean acceptOutboundMessage(Object msg) throws Exception {
        return !(msg instanceof AppendRequest) && super.acceptOutboundMessage(msg);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, List<Object> out) {
        out.add(toFrame(message));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ParsedFrame parsed, List<Object> out) {
        out.add(toMessage(parsed.frame()));
    }

    /** The wire form of {@code m}. */
    static Frame toFrame(Message m) {
        Frame.Builder f = Frame.newBuilder().setFrom(m.from()).setTo(m.to()).setTerm(m.term());
        if (m instanceof VoteRequest v) {
            f.getVoteRequestBuilder().setLastLogIndex(v.lastLogIndex()).setLastLogTerm(v.lastLogTerm())
                    .setPreVote(v.preVote()).setTransfer(v.transfer());
        } else if (m instanceof VoteResponse v) {
            f.getVoteResponseBuilder().setGranted(v.granted()).setPreVote(v.preVote());
        } else if (m instanceof AppendRequest a) {
            var b = f.getAppendRequestBuilder().setPrevLogIndex(a.prevLogIndex()).setPrevLogTerm(a.prevLogTerm())
                    .setCommitIndex(a.commitIndex());
            for (Entry e : a.entries()) {
                b.addEntries(io.raftkit.transport.netty.wire.Entry.newBuilder().setTerm(e.term())
                        .setIndex(e.index()).setType(e.type().code()).setData(wrap(e.data())));
            }
        } else if (m instanceof AppendResponse a) {
            f.getAppendResponseBuilder().setSuccess(a.success()).setMatchIndex(a.matchIndex())
                    .setRejectedPrevIndex(a.rejectedPrevIndex()).setConflictTerm(a.conflictTerm())
                    .setConflictIndex(a.conflictIndex());
        } else if (m instanceof Heartbeat h) {
            f.getHeartbeatBuilder().setCommitIndex(h.commitIndex()).setReadRound(h.readRound());
        } else if (m instanceof HeartbeatResponse h) {
            f.getHeartbeatResponseBuilder().setReadRound(h.readRound());
        } else if (m instanceof ReadIndexRequest r) {
            f.getReadIndexRequestBuilder().setRequestId(r.requestId());
        } else if (m instanceof ReadIndexResponse r) {
            f.getReadIndexResponseBuilder().setRequestId(r.requestId()).setReadIndex(r.readIndex())
                    .setSuccess(r.success());
        } else if (m instanceof ForwardProposal p) {
            var b = f.getForwardProposalBuilder().setBatchId(p.batchId());
            for (byte[] command : p.commands()) {
                b.addCommands(wrap(command));
            }
            for (EntryType t : p.types()) {
                b.addTypes(t.code());
            }
        } else if (m instanceof ForwardProposalResponse p) {
            f.getForwardProposalResponseBuilder().setBatchId(p.batchId()).setFirstIndex(p.firstIndex())
                    .setAccepted(p.accepted()).setRetry(p.retry()).setOverloaded(p.overloaded());
        } else if (m instanceof InstallSnapshot s) {
            var chunk = f.getInstallSnapshotBuilder().setOffset(s.offset()).setData(wrap(s.data())).setDone(s.done());
            if (!s.fromLeader()) {
                chunk.setLeader(s.leader());
            }
            var meta = chunk.getMetaBuilder();
            Configuration c = s.meta().configuration();
            meta.setIndex(s.meta().index()).setTerm(s.meta().term()).addAllVoters(c.voters())
                    .addAllOutgoingVoters(c.outgoing()).addAllLearners(c.learners()).putAllAddresses(c.addresses());
        } else if (m instanceof InstallSnapshotResponse s) {
            f.getInstallSnapshotResponseBuilder().setSnapshotIndex(s.snapshotIndex()).setNextOffset(s.nextOffset())
                    .setSuccess(s.success());
        } else if (m instanceof TimeoutNow) {
            f.getTimeoutNowBuilder();
        } else if (m instanceof DelegateSnapshot d) {
            f.getDelegateSnapshotBuilder().setTarget(d.target()).setMinIndex(d.minIndex());
        } else if (m instanceof DelegateSnapshotResponse d) {
            f.getDelegateSnapshotResponseBuilder().setTarget(d.target()).setOutcome(d.outcome().code());
        } else if (m instanceof GroupChangeRequest g) {
            GroupChange c = g.change();
            var b = f.getGroupChangeRequestBuilder().setRequestId(g.requestId()).setKind(c.kind().code());
            if (c.member() != null) {
                b.setMember(c.member());
            }
            if (c.address() != null) {
                b.setAddress(c.address());
            }
            if (c.target() != null) {
                b.setTarget(ByteString.copyFrom(c.target().encode()));
            }
        } else if (m instanceof GroupChangeResponse g) {
            f.getGroupChangeResponseBuilder().setRequestId(g.requestId()).setAccepted(g.accepted()).setIndex(g.index())
                    .setReason(g.reason()).setDetail(g.detail());
        } else {
            // Unreachable while Message is sealed; a new permitted type must be added here and to the schema.
            throw new IllegalArgumentException("no wire form for " + m.getClass().getName());
        }
        return f.build();
    }

    /**
     * The core record {@code f} carries.
     *
     * @throws CorruptFrameException when {@code f} is not a valid message frame
     */
    static Message toMessage(Frame f) {
        try {
            return mapMessage(f);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CorruptFrameException("invalid " + f.getBodyCase() + " frame: " + e.getMessage());
        }
    }

    private static String nonEmpty(String field, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + " is empty");
        }
        return value;
    }

    private static Message mapMessage(Frame f) {
        String from = f.getFrom();
        String to = f.getTo();
        long term = f.getTerm();
        if (term < 0) {
            throw new CorruptFrameException("term beyond 2^63-1 in a " + f.getBodyCase() + " frame");
        }
        switch (f.getBodyCase()) {
            case VOTE_REQUEST: {
                var v = f.getVoteRequest();
                return new VoteRequest(from, to, term, v.getLastLogIndex(), v.getLastLogTerm(), v.getPreVote(),
                        v.getTransfer());
            }
            case VOTE_RESPONSE: {
                var v = f.getVoteResponse();
                return new VoteResponse(from, to, term, v.getGranted(), v.getPreVote());
            }
            case APPEND_REQUEST: {
                var a = f.getAppendRequest();
                List<Entry> entries = new ArrayList<>(a.getEntriesCount());
                for (var e : a.getEntriesList()) {
                    entries.add(new Entry(e.getTerm(), e.getIndex(), EntryType.fromCode(e.getType()),
                            e.getData().toByteArray()));
                }
                return new AppendRequest(from, to, term, a.getPrevLogIndex(), a.getPrevLogTerm(), entries,
                        a.getCommitIndex());
            }
            case APPEND_RESPONSE: {
                var a = f.getAppendResponse();
                return new AppendResponse(from, to, term, a.getSuccess(), a.getMatchIndex(),
                        a.getRejectedPrevIndex(), a.getConflictTerm(), a.getConflictIndex());
            }
            case HEARTBEAT: {
                var h = f.getHeartbeat();
                return new Heartbeat(from, to, term, h.getCommitIndex(), h.getReadRound());
            }
            case HEARTBEAT_RESPONSE:
                return new HeartbeatResponse(from, to, term, f.getHeartbeatResponse().getReadRound());
            case READ_INDEX_REQUEST:
                return new ReadIndexRequest(from, to, term, f.getReadIndexRequest().getRequestId());
            case READ_INDEX_RESPONSE: {
                var r = f.getReadIndexResponse();
                return new ReadIndexResponse(from, to, term, r.getRequestId(), r.getReadIndex(), r.getSuccess());
            }
            case FORWARD_PROPOSAL: {
                var p = f.getForwardProposal();
                List<byte[]> commands = new ArrayList<>(p.getCommandsCount());
                for (ByteString c : p.getCommandsList()) {
                    commands.add(c.toByteArray());
                }
                List<EntryType> types = new ArrayList<>(p.getTypesCount());
                for (int code : p.getTypesList()) {
                    types.add(EntryType.fromCode(code));
                }
                return new ForwardProposal(from, to, term, p.getBatchId(), commands, types);
            }
            case FORWARD_PROPOSAL_RESPONSE: {
                var p = f.getForwardProposalResponse();
                return new ForwardProposalResponse(from, to, term, p.getBatchId(), p.getFirstIndex(), p.getAccepted(),
                        p.getRetry(), p.getOverloaded());
            }
            case INSTALL_SNAPSHOT: {
                var s = f.getInstallSnapshot();
                var m = s.getMeta();
                SnapshotMeta meta = new SnapshotMeta(m.getIndex(), m.getTerm(),
                        new Configuration(new HashSet<>(m.getVotersList()), new HashSet<>(m.getOutgoingVotersList()),
                                new HashSet<>(m.getLearnersList()), m.getAddressesMap()));
                String leader = s.getLeader().isEmpty() ? from : s.getLeader();
                return new InstallSnapshot(from, to, term, leader, meta, s.getOffset(), s.getData().toByteArray(),
                        s.getDone());
            }
            case INSTALL_SNAPSHOT_RESPONSE: {
                var s = f.getInstallSnapshotResponse();
                return new InstallSnapshotResponse(from, to, term, s.getSnapshotIndex(), s.getNextOffset(),
                        s.getSuccess());
            }
            case TIMEOUT_NOW:
                return new TimeoutNow(from, to, term);
            case DELEGATE_SNAPSHOT: {
                var d = f.getDelegateSnapshot();
                return new DelegateSnapshot(from, to, term, nonEmpty("delegate_snapshot.target", d.getTarget()),
                        d.getMinIndex());
            }
            case DELEGATE_SNAPSHOT_RESPONSE: {
                var d = f.getDelegateSnapshotResponse();
                return new DelegateSnapshotResponse(from, to, term,
                        nonEmpty("delegate_snapshot_response.target", d.getTarget()),
                        DelegateSnapshotResponse.Outcome.fromCode(d.getOutcome()));
            }
            case GROUP_CHANGE_REQUEST: {
                var g = f.getGroupChangeRequest();
                GroupChange.Kind kind = GroupChange.Kind.fromCode(g.getKind());
                GroupChange change = new GroupChange(kind, g.getMember().isEmpty() ? null : g.getMember(),
                        g.getAddress().isEmpty() ? null : g.getAddress(),
                        kind == GroupChange.Kind.REPLACE ? Configuration.decode(g.getTarget().toByteArray()) : null);
                return new GroupChangeRequest(from, to, term, g.getRequestId(), change);
            }
            case GROUP_CHANGE_RESPONSE: {
                var g = f.getGroupChangeResponse();
                return new GroupChangeResponse(from, to, term, g.getRequestId(), g.getAccepted(), g.getIndex(),
                        g.getReason(), g.getDetail());
            }
            case HANDSHAKE:
                throw new CorruptFrameException("a second handshake on one connection");
            case BODY_NOT_SET:
            default:
                throw new CorruptFrameException("a frame with no message of a known type");
        }
    }

    // Safe because a core record owns its arrays and never changes them (see Entry).
    private static ByteString wrap(byte[] bytes) {
        return UnsafeByteOperations.unsafeWrap(bytes);
    }
}
