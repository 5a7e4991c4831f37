package io.raftkit.core;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A change to a group that a caller asks for: who belongs to it and how, or who leads it. The leader
 * turns a membership change into the next configuration from the one in force when it takes the
 * request ({@link #next}), so that two callers' changes, forwarded from different nodes, never undo
 * each other; a follower forwards the request to its leader ({@link RaftCore#changeGroup}).
 *
 * @param kind what to do
 * @param member the node concerned (null: for {@code TRANSFER_LEADERSHIP}, the most up-to-date voter;
 *     unused for {@code REPLACE})
 * @param address the member's transport address ({@code host:port}) for {@code ADD_LEARNER} and
 *     {@code ADD_VOTER}, else null
 * @param target the whole configuration to change to, for {@code REPLACE}, else null
 */
public record GroupChange(Kind kind, String member, String address, Configuration target) {

    /** What a change does. The numeric codes are stable: the wire uses them. */
    public enum Kind {
        /** Adds a node that receives the log but does not vote. */
        ADD_LEARNER(1),
        /** Makes a learner a voter. */
        PROMOTE(2),
        /** Adds a node straight as a voter (prefer a learner first for a node with an empty log). */
        ADD_VOTER(3),
        /** Removes a voter or a learner. */
        REMOVE(4),
        /** Changes to a whole configuration at once (through joint consensus when needed). */
        REPLACE(5),
        /** Hands leadership to a voter. */
        TRANSFER_LEADERSHIP(6);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** @throws IllegalArgumentException naming the code when it is unknown */
        public static Kind fromCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown group change kind " + code);
        }
    }

    public GroupChange {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case ADD_LEARNER, ADD_VOTER -> {
                Configuration.checkId("member", member);
                new Configuration(Set.of(member), Set.of(), Set.of(), Map.of(member, Objects.requireNonNull(address,
                        "address of " + member)));
            }
            case PROMOTE, REMOVE -> Configuration.checkId("member", member);
            case REPLACE -> Objects.requireNonNull(target, "target");
            case TRANSFER_LEADERSHIP -> {
                if (member != null) {
                    Configuration.checkId("member", member);
                }
            }
        }
    }

    public static GroupChange addLearner(String member, String address) {
        return new GroupChange(Kind.ADD_LEARNER, member, address, null);
    }

    public static GroupChange promote(String member) {
        return new GroupChange(Kind.PROMOTE, member, null, null);
    }

    public static GroupChange addVoter(String member, String address) {
        return new GroupChange(Kind.ADD_VOTER, member, address, null);
    }

    public static GroupChange remove(String member) {
        return new GroupChange(Kind.REMOVE, member, null, null);
    }

    public static GroupChange replace(Configuration target) {
        return new GroupChange(Kind.REPLACE, null, null, target);
    }

    /**
     * Hands leadership to {@code member}, or (null) to the voter whose log is most up to date among those
     * the leader heard from lately (see {@link RaftCore#transferLeadership}).
     */
    public static GroupChange transferLeadership(String member) {
        return new GroupChange(Kind.TRANSFER_LEADERSHIP, member, null, null);
    }

    /** True for the kinds that change the configuration (all but {@code TRANSFER_LEADERSHIP}). */
    public boolean changesMembership() {
        return kind != Kind.TRANSFER_LEADERSHIP;
    }

    /**
     * The configuration this membership change leads to from {@code current}.
     *
     * @throws IllegalArgumentException saying why the change makes no sense from {@code current}
     */
    public Configuration next(Configuration current) {
        TreeSet<String> voters = new TreeSet<>(current.voters());
        TreeSet<String> learners = new TreeSet<>(current.learners());
        TreeMap<String, String> addresses = new TreeMap<>(current.addresses());
        switch (kind) {
            case ADD_LEARNER, ADD_VOTER -> {
                if (current.isMember(member)) {
                    throw new IllegalArgumentException(member + " is already a member (" + current + ")");
                }
                if (addresses.containsValue(address)) {
                    throw new IllegalArgumentException("address " + address + " is already a member's");
                }
                (kind == Kind.ADD_LEARNER ? learners : voters).add(member);
                addresses.put(member, address);
            }
            case PROMOTE -> {
                if (!current.isLearner(member)) {
                    throw new IllegalArgumentException(member + " is not a learner (" + current + ")");
                }
                learners.remove(member);
                voters.add(member);
            }
            case REMOVE -> {
                if (!current.isMember(member)) {
                    throw new IllegalArgumentException(member + " is not a member (" + current + ")");
                }
                voters.remove(member);
                learners.remove(member);
                addresses.remove(member);
                if (voters.isEmpty()) {
                    throw new IllegalArgumentException("removing " + member + " would leave no voter");
                }
            }
            case REPLACE -> {
                return target;
            }
            case TRANSFER_LEADERSHIP -> throw new IllegalStateException("a leadership transfer changes no configuration");
        }
        return new Configuration(voters, Set.of(), learners, addresses);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case REPLACE -> "replace with " + target;
            case TRANSFER_LEADERSHIP -> "transfer leadership to " + (member == null ? "the best voter" : member);
            default -> kind.name().toLowerCase(java.util.Locale.ROOT) + " " + member + (address == null ? "" : "@" + address);
        };
    }
}
