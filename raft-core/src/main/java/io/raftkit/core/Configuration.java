package io.raftkit.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The membership of a Raft group: who votes, who only learns, and where each member can be reached.
 * Membership is data, not a constant: a change is a log entry carrying the next configuration.
 *
 * <p>During a joint-consensus change (C_old,new) {@code outgoing} holds the voters of C_old and
 * {@code voters} those of C_new; elections and commitment then need a majority of each. Outside a
 * change {@code outgoing} is empty. Learners receive the log and snapshots but never vote and never
 * count towards a quorum.
 *
 * <p>Sets are kept sorted so that every node iterates members in the same order, which keeps the core
 * deterministic.
 *
 * @param voters the voters (of C_new during a joint change); empty only for {@link #EMPTY}
 * @param outgoing the voters of C_old during a joint change, else empty
 * @param learners members that receive the log without voting; none is in {@code voters}
 * @param addresses each member's transport address ({@code host:port}), where known; the core does not
 *     use them, the runtime connects to them
 */
public record Configuration(Set<String> voters, Set<String> outgoing, Set<String> learners,
                            Map<String, String> addresses) {

    /** A group with no members, used before a configuration is known. */
    public static final Configuration EMPTY = new Configuration(Set.of());

    private static final String HEADER = "raftkit-configuration 2";

    public Configuration {
        voters = sortedIds("voter", voters);
        outgoing = sortedIds("outgoing voter", outgoing);
        learners = sortedIds("learner", learners);
        for (String l : learners) {
            if (voters.contains(l)) {
                throw new IllegalArgumentException("member " + l + " is both a voter and a learner");
            }
        }
        TreeMap<String, String> a = new TreeMap<>();
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            String address = e.getValue();
            if (address == null || address.isBlank() || address.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("the address of " + e.getKey() + " must be host:port without blanks, got '"
                        + address + "'");
            }
            a.put(e.getKey(), address);
        }
        addresses = Collections.unmodifiableMap(a);
    }

    /** A configuration of {@code voters} only, addresses unknown (tests, and groups configured elsewhere). */
    public Configuration(Set<String> voters) {
        this(voters, Set.of(), Set.of(), Map.of());
    }

    /** A configuration with the given voters. */
    public static Configuration of(String... voters) {
        return new Configuration(Set.of(voters));
    }

    /** Voters with their addresses, no learners: how a group starts. */
    public static Configuration ofMembers(Map<String, String> addresses) {
        return new Configuration(addresses.keySet(), Set.of(), Set.of(), addresses);
    }

    private static Set<String> sortedIds(String what, Set<String> ids) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String id : ids) {
            checkId(what, id);
            sorted.add(id);
        }
        return Collections.unmodifiableSet(sorted);
    }

    /** Throws naming {@code id} when it cannot be a member id (blank, blanks or ',' inside). */
    public static void checkId(String what, String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a " + what + " id must be a non-blank string");
        }
        if (id.indexOf(',') >= 0 || id.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a " + what + " id must not contain ',' or blanks: '" + id + "'");
        }
    }

    /** True during a joint-consensus change: elections and commitment need a majority of both voter sets. */
    public boolean joint() {
        return !outgoing.isEmpty();
    }

    /** Number of votes that make a majority of {@link #voters()} (of C_new during a joint change). */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    /** True when {@code id} votes, in C_new or (during a joint change) in C_old. */
    public boolean isVoter(String id) {
        return voters.contains(id) || outgoing.contains(id);
    }

    public boolean isLearner(String id) {
        return learners.contains(id);
    }

    /** True when {@code id} is in this configuration in any role. */
    public boolean isMember(String id) {
        return isVoter(id) || learners.contains(id);
    }

    /** Every voter, of C_new and C_old alike, in their stable order. */
    public List<String> voterList() {
        TreeSet<String> all = new TreeSet<>(voters);
        all.addAll(outgoing);
        return new ArrayList<>(all);
    }

    /** Every member: voters of both sets and learners, in their stable order. */
    public Set<String> members() {
        TreeSet<String> all = new TreeSet<>(voters);
        all.addAll(outgoing);
        all.addAll(learners);
        return Collections.unmodifiableSet(all);
    }

    /**
     * The joint configuration on the way from this (simple) configuration to {@code target}: C_old,new.
     *
     * @throws IllegalStateException when this configuration is itself joint
     */
    public Configuration enterJoint(Configuration target) {
        if (joint()) {
            throw new IllegalStateException("already in a joint configuration: " + this);
        }
        return new Configuration(target.voters, voters, target.learners, mergedAddresses(target));
    }

    /** The configuration a joint one leads to, C_new (this configuration when not joint). */
    public Configuration leaveJoint() {
        if (!joint()) {
            return this;
        }
        Map<String, String> kept = new TreeMap<>();
        for (String id : voters) {
            addressOf(id, kept);
        }
        for (String id : learners) {
            addressOf(id, kept);
        }
        return new Configuration(voters, Set.of(), learners, kept);
    }

    private void addressOf(String id, Map<String, String> into) {
        String a = addresses.get(id);
        if (a != null) {
            into.put(id, a);
        }
    }

    private Map<String, String> mergedAddresses(Configuration target) {
        Map<String, String> all = new TreeMap<>(addresses);
        all.putAll(target.addresses);
        return all;
    }

    /**
     * A stable text encoding, used in configuration log entries and snapshot metadata: a header line,
     * then one line per set ({@code voters}, {@code outgoing}, {@code learners}: the keyword and the ids
     * separated by spaces) and one {@code address ID HOST:PORT} line per known address, UTF-8.
     */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        line(sb, "voters", voters);
        line(sb, "outgoing", outgoing);
        line(sb, "learners", learners);
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            sb.append("address ").append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder sb, String keyword, Set<String> ids) {
        sb.append(keyword);
        for (String id : ids) {
            sb.append(' ').append(id);
        }
        sb.append('\n');
    }

    /**
     * Decodes {@link #encode()}'s output, and the first format (voter ids joined by {@code ,}), which
     * snapshots and logs written by earlier versions hold.
     *
     * @throws IllegalArgumentException when the bytes are not a valid configuration
     */
    public static Configuration decode(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.isEmpty()) {
            return EMPTY;
        }
        if (!s.startsWith(HEADER + "\n")) {
            return new Configuration(Set.of(s.split(",", -1)));
        }
        Set<String> voters = Set.of();
        Set<String> outgoing = Set.of();
        Set<String> learners = Set.of();
        Map<String, String> addresses = new TreeMap<>();
        List<String> lines = s.lines().skip(1).toList();
        for (String line : lines) {
            String[] words = line.split(" ", -1);
            switch (words[0]) {
                case "voters" -> voters = ids(words);
                case "outgoing" -> outgoing = ids(words);
                case "learners" -> learners = ids(words);
                case "address" -> {
                    if (words.length != 3) {
                        throw new IllegalArgumentException("malformed configuration line '" + line + "'");
                    }
                    addresses.put(words[1], words[2]);
                }
                default -> throw new IllegalArgumentException("unknown configuration line '" + line + "'");
            }
        }
        return new Configuration(voters, outgoing, learners, addresses);
    }

    private static Set<String> ids(String[] words) {
        TreeSet<String> ids = new TreeSet<>();
        for (int i = 1; i < words.length; i++) {
            ids.add(words[i]);
        }
        return ids;
    }

    @Override
    public String toString() {
        return (joint() ? "joint voters=" + voters + " outgoing=" + outgoing : "voters=" + voters)
                + (learners.isEmpty() ? "" : " learners=" + learners);
    }
}
