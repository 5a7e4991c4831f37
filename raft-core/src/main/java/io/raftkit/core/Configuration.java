package io.raftkit.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The membership of a Raft group: who votes. Membership is data, not a constant, so that later
 * membership changes replace the configuration and leave the algorithm alone.
 *
 * <p>Voters are kept sorted so that every node iterates them in the same order, which keeps the core
 * deterministic.
 *
 * @param voters the ids of the voting members
 */
public record Configuration(Set<String> voters) {

    /** A group with no members, used before a configuration is known. */
    public static final Configuration EMPTY = new Configuration(Set.of());

    public Configuration {
        TreeSet<String> sorted = new TreeSet<>();
        for (String v : voters) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("a voter id must be a non-blank string");
            }
            if (v.indexOf(',') >= 0) {
                throw new IllegalArgumentException("a voter id must not contain ',': " + v);
            }
            sorted.add(v);
        }
        voters = Collections.unmodifiableSet(sorted);
    }

    /** A configuration with the given voters. */
    public static Configuration of(String... voters) {
        return new Configuration(Set.of(voters));
    }

    /** Number of votes that make a majority. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    /** True when {@code id} votes. */
    public boolean isVoter(String id) {
        return voters.contains(id);
    }

    /** Voters in their stable order. */
    public List<String> voterList() {
        return new ArrayList<>(voters);
    }

    /** A compact, stable encoding used in snapshot metadata and configuration entries. */
    public byte[] encode() {
        return String.join(",", voters).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes {@link #encode()}'s output.
     *
     * @throws IllegalArgumentException when the bytes are not a valid configuration
     */
    public static Configuration decode(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.isEmpty()) {
            return EMPTY;
        }
        return new Configuration(Set.of(s.split(",", -1)));
    }
}
