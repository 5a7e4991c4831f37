package io.raftkit.testkit.sim;

import io.raftkit.core.Configuration;
import io.raftkit.core.Entry;
import io.raftkit.core.RaftCore;
import io.raftkit.core.RaftRole;
import io.raftkit.core.Ready;
import io.raftkit.node.internal.SimulatedNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Raft's safety properties, checked after every step of the simulation (and on every Ready and every
 * applied entry, so that nothing can happen and be undone between two checks):
 * <ul>
 *   <li>election safety: at most one leader per term;</li>
 *   <li>log matching: entries with the same index and term are identical and follow identical
 *       prefixes (checked incrementally: every entry any node ever appends is compared with every
 *       other entry ever appended at that index and term, content and predecessor's term);</li>
 *   <li>leader completeness: a new leader's log holds every entry known committed in an earlier term;</li>
 *   <li>state machine safety: no two nodes apply different entries at one index, and what is applied
 *       is what is committed;</li>
 *   <li>a node's commit index never decreases while it lives, never exceeds what a majority holds
 *       <em>durably</em> (on their simulated disks, not in memory), and bounds its applied index.</li>
 * </ul>
 *
 * <p>With snapshots, a node no longer holds the entries up to its log's compaction point, nor applied
 * them one by one if it installed a snapshot. It is checked on what it can show instead: every
 * snapshot taken, restored or installed must equal the committed log replayed up to its index; the
 * compaction point must lie within the committed log, with the committed entry's term; the log may
 * be compacted only up to a durable snapshot; a snapshot on a durable disk holds the entries it covers.
 * Entries a node still holds are checked as before.
 */
final class SafetyChecker {

    /** An entry as first seen at its (index, term): its content and the term of its predecessor. */
    private record Seen(Entry entry, long prevTerm, String node) {}

    private record IndexTerm(long index, long term) {}

    private final Simulation sim;
    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final Map<IndexTerm, Seen> seen = new HashMap<>();
    /** committed.get(i - 1): the entry known committed at index i. */
    private final List<Entry> committed = new ArrayList<>();
    /** The lowest term in which each committed entry is known to have been committed. */
    private final List<Long> committedBy = new ArrayList<>();
    private final List<Entry> appliedAt = new ArrayList<>();
    private final Map<String, Long> lastCommit = new HashMap<>();
    private final Map<String, Long> leaderTermChecked = new HashMap<>();
    private final CommittedImages images;
    private Configuration lastCommittedConfiguration;

    SafetyChecker(Simulation sim) {
        this.images = new CommittedImages(committed, sim::application);
        this.sim = sim;
    }

    /** The group's configuration at its start: where the chain of committed configurations begins. */
    void startsWith(Configuration initial) {
        lastCommittedConfiguration = initial;
    }

    /** A node restarted: its commit index may start lower (the commit hint is only a hint). */
    /**
     * {@code node} crashed: entries it appended that its disk did not keep and no other node holds are
     * gone. They existed only in its memory (a leader sends nothing of its term before its term is
     * durable), so a later incarnation may append other entries at the same index and term (a leader of
     * one voter, re-elected in the term it had not made durable). Forget them, so that log matching is
     * checked against entries that exist.
     */
    void crashed(SimNode node) {
        // Leadership of a term its disk never made durable existed only in memory too: a leader sends
        // nothing until its term is durable, and a leader elected by its own vote alone may crash first.
        long durableTerm = node.disk().hardState().term();
        leaderOfTerm.entrySet().removeIf(e -> e.getValue().equals(node.id) && e.getKey() > durableTerm);
        seen.entrySet().removeIf(e -> {
            Seen s = e.getValue();
            if (!s.node().equals(node.id) || node.disk().durableTerm(e.getKey().index()) == e.getKey().term()) {
                return false;
            }
            for (SimNode other : sim.nodes()) {
                if (other != node && !other.crashed() && other.core().termAt(e.getKey().index()) == e.getKey().term()) {
                    return false; // someone else holds it: it still exists
                }
            }
            return true;
        });
    }

    void restarted(String node) {
        lastCommit.put(node, 0L);
        leaderTermChecked.remove(node);
    }

    void onReady(SimNode node, Ready r) {
        if (r.role() == RaftRole.LEADER) {
            checkOneLeader(node.id, r.term());
        }
        if (r.entries().isEmpty()) {
            return;
        }
        long prevTerm = node.core().termAt(r.entries().get(0).index() - 1);
        for (Entry e : r.entries()) {
            Seen s = seen.putIfAbsent(new IndexTerm(e.index(), e.term()), new Seen(e, prevTerm, node.id));
            if (s != null && (!s.entry().equals(e) || s.prevTerm() != prevTerm)) {
                sim.fail("log matching: " + node.id + " appends " + e + " after term " + prevTerm + ", but " + s.node()
                        + " holds " + s.entry() + " after term " + s.prevTerm() + " at the same index and term");
            }
            prevTerm = e.term();
        }
    }

    void onApply(SimNode node, Entry e) {
        int i = (int) e.index() - 1;
        if (i < appliedAt.size()) {
            if (!appliedAt.get(i).equals(e)) {
                sim.fail("state machine safety: " + node.id + " applies " + e + " but " + appliedAt.get(i)
                        + " was applied at that index before");
            }
        } else if (i == appliedAt.size()) {
            appliedAt.add(e);
        }
        if (i < committed.size() && !committed.get(i).equals(e)) {
            sim.fail("state machine safety: " + node.id + " applies " + e + " but " + committed.get(i)
                    + " is committed at that index");
        }
        if (e.index() > node.core().commitIndex()) {
            sim.fail(node.id + " applies " + e + " beyond its commit index " + node.core().commitIndex());
        }
    }

    void afterStep() {
        for (SimNode node : sim.nodes()) {
            if (!node.crashed()) {
                checkNode(node);
            }
        }
    }

    /** Brings what {@code node} shows up to date now, inside a step (a snapshot is about to be checked). */
    void checkNow(SimNode node) {
        checkNode(node);
    }

    private void checkNode(SimNode node) {
        RaftCore core = node.core();
        long commit = core.commitIndex();
        long before = lastCommit.getOrDefault(node.id, 0L);
        if (commit < before) {
            sim.fail(node.id + "'s commit index went back from " + before + " to " + commit + " without a crash");
        }
        // A state machine restored from a snapshot may be ahead of a restarted core's commit hint: the
        // snapshot itself is checked against the committed log. Entries applied one by one may not.
        if (core.appliedIndex() > commit || node.appliedIndex() > Math.max(commit, node.restoredIndex())) {
            sim.fail(node.id + " applied " + Math.max(core.appliedIndex(), node.appliedIndex())
                    + " beyond its commit index " + commit);
        }
        long boundary = core.firstIndex() - 1;
        if (boundary > 0) {
            checkBoundary(node, boundary, core.termAt(boundary));
        }
        if (commit > before && core.role() == RaftRole.LEADER) {
            checkDurableQuorum(node, commit, core.termAt(commit));
        }
        if (commit > before) {
            // Entries up to the compaction point are gone (a snapshot was installed, or the node restarted
            // on a compacted log); checkBoundary vouched for them.
            for (Entry e : core.entries(Math.max(before, boundary) + 1, commit + 1)) {
                recordCommitted(node, e, core.term());
            }
            lastCommit.put(node.id, commit);
        }
        if (core.role() == RaftRole.LEADER) {
            checkInflightWindows(node);
            checkConfigurationsInForce(node);
            checkOneLeader(node.id, core.term());
            Long checkedTerm = leaderTermChecked.get(node.id);
            if (checkedTerm == null || checkedTerm != core.term()) {
                leaderTermChecked.put(node.id, core.term());
                checkLeaderCompleteness(node);
            }
        }
    }

    /**
     * What a leader holds unacknowledged for each peer stays within its window, whatever drops, duplicates,
     * partitions and reconnects did: {@code maxInflightBytes}, plus the one message that may start while
     * below it (at most {@code maxAppendBytes}, or a single entry larger than that: a command, or a
     * configuration entry, which the core writes and which can be larger than any command; seed 22775).
     */
    private void checkInflightWindows(SimNode node) {
        io.raftkit.core.RaftConfig c = sim.options().raft();
        long largestCommand = sim.nodeOptions().maxCommandBytes() + 64L;
        long bound = c.maxInflightBytes() + Math.max(c.maxAppendBytes(), largestCommand);
        for (String peer : node.core().configuration().members()) {
            long bytes = node.core().inflightBytes(peer);
            if (bytes > bound) {
                bound = c.maxInflightBytes() + Math.max(c.maxAppendBytes(), largestUnacknowledged(node, peer));
            }
            if (bytes > bound) {
                sim.fail(node.id + " holds " + bytes + " bytes unacknowledged for " + peer + ", over its window of "
                        + c.maxInflightBytes() + " bytes (+ one message: " + bound + ")");
            }
        }
    }

    /** The largest entry the leader may have in flight to {@code peer}: those after its match. */
    private static long largestUnacknowledged(SimNode node, String peer) {
        long largest = 0;
        java.util.List<io.raftkit.core.Entry> window = node.core().entries(node.core().matchIndex(peer) + 1,
                node.core().lastIndex() + 1);
        for (io.raftkit.core.Entry e : window == null ? java.util.List.<io.raftkit.core.Entry>of() : window) {
            largest = Math.max(largest, e.sizeBytes());
        }
        return largest;
    }

    private void checkOneLeader(String id, long term) {
        String other = leaderOfTerm.putIfAbsent(term, id);
        if (other != null && !other.equals(id)) {
            sim.fail("election safety: " + id + " and " + other + " are both leaders of term " + term);
        }
    }

    /** The log's compaction point lies in the committed log, and only a durable snapshot covers it. */
    private void checkBoundary(SimNode node, long boundary, long term) {
        if (boundary > committed.size()) {
            sim.fail(node.id + "'s log is compacted to index " + boundary + " but only " + committed.size()
                    + " entries are known committed");
        }
        if (committed.get((int) boundary - 1).term() != term) {
            sim.fail(node.id + "'s log is compacted to index " + boundary + " with term " + term + " but "
                    + committed.get((int) boundary - 1) + " is committed there");
        }
        long compacted = node.disk().snapshotMeta().index();
        if (compacted > node.snapshots().durableIndex()) {
            sim.fail(node.id + "'s log is compacted to index " + compacted + " but its latest durable snapshot is at "
                    + node.snapshots().durableIndex() + ": a crash now would lose entries");
        }
    }

    /** A snapshot a node takes, restores or installs: the committed log's state at its index. */
    void onSnapshot(String node, SimSnapshot s, String what) {
        byte[] expected = images.at(s.index());
        if (expected == null) {
            sim.fail(node + " " + what + " " + s + " but only " + committed.size() + " entries are known committed");
        }
        Entry at = committed.get((int) s.index() - 1);
        byte[] user = SimulatedNode.userPart(s.image());
        if (at.term() != s.meta().term() || !java.util.Arrays.equals(expected, user)) {
            sim.fail("state machine safety: " + node + " " + what + " " + s + " holding " + sim.application().describe(user)
                    + " but the committed log has " + at + " there and gives " + sim.application().describe(expected)
                    + " (a state machine must be deterministic, and its snapshot must hold all of its state)");
        }
        byte[] sessions = images.sessionPrefixAt(s.index());
        if (!java.util.Arrays.equals(sessions, java.util.Arrays.copyOf(s.image(), s.image().length - user.length))) {
            sim.fail("state machine safety: " + node + " " + what + " " + s + " whose client-session table differs"
                    + " from the one the committed log gives at " + s.index() + " (a retried command could apply twice)");
        }
    }

    /**
     * A leader's commit index reached {@code commit}: a quorum of its configuration (a majority of each
     * voter set during a joint change), counted here independently of the core, holds that entry on disk.
     */
    private void checkDurableQuorum(SimNode node, long commit, long term) {
        Configuration c = node.core().configuration();
        checkDurableMajority(node, commit, term, c.voters(), c);
        if (c.joint()) {
            checkDurableMajority(node, commit, term, c.outgoing(), c);
        }
    }

    private void checkDurableMajority(SimNode node, long commit, long term, Set<String> voters, Configuration c) {
        int holders = 0;
        for (String id : voters) {
            SimDisk disk = sim.node(id).disk();
            // A node whose durable log is compacted past the index holds the entry in its snapshot.
            if (disk.durableTerm(commit) == term || disk.durableBoundary().index() > commit) {
                holders++;
            }
        }
        if (holders < voters.size() / 2 + 1) {
            sim.fail(node.id + " has commit index " + commit + " (term " + term + ") but only " + holders + " of the voters "
                    + voters + " hold that entry durably (configuration " + c + ")");
        }
    }

    /**
     * A configuration entry became committed: it must follow the committed configuration before it by a
     * step the protocol allows (at most one voter changed; into joint consensus from exactly the old
     * voters; out of it to exactly the new ones), and any quorum of the one must meet any of the other.
     */
    private void checkConfigurationStep(Entry e) {
        Configuration next = Configuration.decode(e.data());
        Configuration prev = lastCommittedConfiguration;
        boolean valid;
        if (prev.joint()) {
            valid = !next.joint() && next.voters().equals(prev.voters());
        } else if (next.joint()) {
            valid = next.outgoing().equals(prev.voters());
        } else {
            Set<String> changed = new TreeSet<>(prev.voters());
            changed.addAll(next.voters());
            Set<String> both = new TreeSet<>(prev.voters());
            both.retainAll(next.voters());
            valid = changed.size() - both.size() <= 1;
        }
        if (!valid || !alwaysMeet(prev, next)) {
            sim.fail("configuration chain: " + e + " commits " + next + " after " + prev + ", a step the protocol does not take"
                    + (valid ? " (their quorums need not meet)" : ""));
        }
        lastCommittedConfiguration = next;
    }

    /**
     * Every configuration a leader's log holds from its commit index on, the committed one and those in
     * flight, must pairwise share a quorum: otherwise two majorities could act at once.
     */
    private void checkConfigurationsInForce(SimNode node) {
        RaftCore core = node.core();
        // What is committed is what any node knows committed: a restarted leader's own commit index is a
        // hint, possibly far behind, and the configurations between it and the true one are long settled.
        // A deposed leader that does not know it yet holds a log that leaves the committed one somewhere:
        // its own configurations from there on are what it would act under.
        long committedIndex = Math.max(core.commitIndex(), matchesCommittedUpTo(core));
        if (core.configurationIndex() <= committedIndex) {
            return;
        }
        List<Configuration> inForce = new ArrayList<>();
        inForce.add(core.configurationAt(committedIndex));
        for (Entry e : core.entries(Math.max(committedIndex + 1, core.firstIndex()), core.lastIndex() + 1)) {
            if (e.type() == io.raftkit.core.EntryType.CONFIGURATION) {
                inForce.add(Configuration.decode(e.data()));
            }
        }
        for (int a = 0; a < inForce.size(); a++) {
            for (int b = a + 1; b < inForce.size(); b++) {
                if (!alwaysMeet(inForce.get(a), inForce.get(b))) {
                    sim.fail("configurations in force: leader " + node.id + " of term " + core.term() + " holds "
                            + inForce.get(a) + " and " + inForce.get(b) + " from the commit index " + committedIndex
                            + " on, and a quorum of one need not meet a quorum of the other");
                }
            }
        }
    }

    /** The last index at which {@code core}'s log holds the committed entry (its log matches up to there). */
    private long matchesCommittedUpTo(RaftCore core) {
        long i = Math.min(core.lastIndex(), committed.size());
        while (i >= core.firstIndex() && core.termAt(i) != committed.get((int) i - 1).term()) {
            i--;
        }
        return i;
    }

    /** True when every quorum of {@code a} shares a voter with every quorum of {@code b}. */
    static boolean alwaysMeet(Configuration a, Configuration b) {
        for (Set<String> x : voterSets(a)) {
            for (Set<String> y : voterSets(b)) {
                if (majoritiesMeet(x, y)) {
                    return true; // a quorum of a joint configuration holds a majority of each of its sets
                }
            }
        }
        return false;
    }

    private static List<Set<String>> voterSets(Configuration c) {
        return c.joint() ? List.of(c.voters(), c.outgoing()) : List.of(c.voters());
    }

    /** True when every majority of {@code x} shares a member with every majority of {@code y}. */
    private static boolean majoritiesMeet(Set<String> x, Set<String> y) {
        Set<String> common = new TreeSet<>(x);
        common.retainAll(y);
        // The fewest common members each majority must take, having taken all the others first.
        int fromX = Math.max(0, x.size() / 2 + 1 - (x.size() - common.size()));
        int fromY = Math.max(0, y.size() / 2 + 1 - (y.size() - common.size()));
        return fromX + fromY > common.size();
    }

    private void recordCommitted(SimNode node, Entry e, long term) {
        int i = (int) e.index() - 1;
        if (i < committed.size()) {
            Entry known = committed.get(i);
            if (!known.equals(e)) {
                sim.fail("state machine safety: " + node.id + " commits " + e + " but " + known
                        + " was committed at that index before");
            }
            committedBy.set(i, Math.min(committedBy.get(i), term));
        } else if (i == committed.size()) {
            committed.add(e);
            committedBy.add(term);
            if (e.type() == io.raftkit.core.EntryType.CONFIGURATION) {
                checkConfigurationStep(e);
            }
        } else {
            sim.fail("internal: committed entries recorded out of order at " + e);
        }
        if (i < appliedAt.size() && !appliedAt.get(i).equals(e)) {
            sim.fail("state machine safety: " + node.id + " commits " + e + " but " + appliedAt.get(i)
                    + " was applied at that index");
        }
        // Leaders elected before this commit became known must hold it too.
        for (SimNode other : sim.nodes()) {
            RaftCore c = other.crashed() ? null : other.core();
            if (c != null && c.role() == RaftRole.LEADER && c.term() > committedBy.get(i)
                    && e.index() >= c.firstIndex() - 1 && c.termAt(e.index()) != e.term()) {
                sim.fail("leader completeness: " + other.id + " is leader of term " + c.term() + " without committed entry "
                        + e + " (committed by term " + committedBy.get(i) + ")");
            }
        }
    }

    private void checkLeaderCompleteness(SimNode node) {
        RaftCore core = node.core();
        for (int i = 0; i < committed.size(); i++) {
            if (committedBy.get(i) >= core.term()) {
                continue;
            }
            Entry e = committed.get(i);
            if (e.index() < core.firstIndex() - 1) {
                continue; // compacted away: checkBoundary vouches for it
            }
            if (core.termAt(e.index()) != e.term()) {
                sim.fail("leader completeness: " + node.id + " became leader of term " + core.term()
                        + " without committed entry " + e + " (committed by term " + committedBy.get(i)
                        + "); it holds term " + core.termAt(e.index()) + " there");
            }
        }
    }

    /**
     * For the end of a run: every node's state machine is the committed log's state at its applied
     * index, and every entry it holds up to its commit index is the committed one.
     */
    void checkNodesAgainstCommittedLog() {
        for (SimNode node : sim.nodes()) {
            byte[] expected = images.at(node.appliedIndex());
            byte[] actual = node.stateImage();
            if (!java.util.Arrays.equals(actual, expected)) {
                sim.fail("state machine safety: " + node.id + " has applied up to " + node.appliedIndex() + " and holds "
                        + sim.application().describe(actual) + ", but the committed log gives "
                        + (expected == null ? "nothing (too short)" : sim.application().describe(expected)) + " there"
                        + " (a state machine must be deterministic, restore all of a snapshot, and not change on queries)");
            }
            RaftCore core = node.core();
            long from = core.firstIndex();
            List<Entry> held = core.entries(from, core.commitIndex() + 1);
            for (Entry e : held) {
                if (e.index() > committed.size() || !committed.get((int) e.index() - 1).equals(e)) {
                    sim.fail("log matching: " + node.id + " holds " + e + " within its commit index, but "
                            + (e.index() > committed.size() ? "nothing" : committed.get((int) e.index() - 1))
                            + " is committed there");
                }
            }
        }
    }

    /**
     * For the end of a run, once every node applied the whole committed log: every node's state machine
     * answers {@code queries} as a replay of that log does.
     */
    void checkQueriesAgainstCommittedLog(List<byte[]> queries) {
        if (queries.isEmpty()) {
            return;
        }
        long last = committed.size();
        images.at(last);
        io.raftkit.core.StateMachine replay = images.replica();
        for (SimNode node : sim.nodes()) {
            if (node.appliedIndex() != last || node.crashed()) {
                continue;
            }
            for (byte[] q : queries) {
                byte[] want = replay.query(q);
                byte[] got = node.stateMachine().query(q);
                if (!java.util.Arrays.equals(want, got)) {
                    sim.fail("state machine safety: " + node.id + " has applied up to " + last + " and answers query "
                            + sim.application().describe(q) + " with " + sim.application().describe(got)
                            + " where the committed log's state answers " + sim.application().describe(want)
                            + " (a snapshot must hold all of the state; node " + node.id + " last restored one at index "
                            + node.restoredIndex() + ")");
                }
            }
        }
    }

    /** The entries known committed, in index order: the run's one true history of writes. */
    List<Entry> committedLog() {
        return committed;
    }

    /** Full pairwise log comparison, for the end of a run: any index where two logs agree on the term agree on everything before. */
    void checkLogsPairwise() {
        List<SimNode> nodes = sim.nodes();
        for (int a = 0; a < nodes.size(); a++) {
            for (int b = a + 1; b < nodes.size(); b++) {
                RaftCore x = nodes.get(a).core();
                RaftCore y = nodes.get(b).core();
                long last = Math.min(x.lastIndex(), y.lastIndex());
                // Below this, one of them holds no entries any more (compacted); each compaction point
                // is checked against the committed log instead. Without snapshots it is 0.
                long floor = Math.max(x.firstIndex(), y.firstIndex()) - 1;
                long match = floor;
                for (long i = last; i > floor; i--) {
                    if (x.termAt(i) == y.termAt(i)) {
                        match = i;
                        break;
                    }
                }
                if (match > floor && !x.entries(floor + 1, match + 1).equals(y.entries(floor + 1, match + 1))) {
                    sim.fail("log matching: " + nodes.get(a).id + " and " + nodes.get(b).id + " agree on the term at "
                            + match + " but not on every entry before it");
                }
            }
        }
    }
}
