package io.raftkit.examples.kvstore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} (or {@code --name=value}) options of one command line, checked against the
 * names a command accepts: unknown, repeated or valueless options are errors, not silently ignored.
 */
final class CommandLine {

    static final String USAGE = """
            Usage:
              java -jar kvstore.jar --id ID --data-dir DIR --raft HOST:PORT --http HOST:PORT \\
                                    (--peers ID=HOST:PORT,ID=HOST:PORT,... | --join)
                                    [--cluster-id NAME] [--tick-ms MS] [--request-timeout-ms MS]
                                    [--snapshot-every N] [--handover-ms MS]
                  Runs one node of a replicated key-value store.
                  --id              this node's id; one of the ids in --peers
                  --data-dir        where the node keeps its log and snapshots (created if missing);
                                    restart with the same directory to rejoin with its durable state
                  --raft            the address this node's Raft transport listens on; must equal its
                                    own entry in --peers
                  --http            the address this node's HTTP interface listens on
                  --peers           starts a new group: every member's id and Raft address, this node
                                    included (the same list on each member)
                  --join            joins a running group instead: the node starts empty and waits
                                    until a member adds it (POST /admin/members/ID?address=RAFT)
                  --cluster-id      the group's name (default kvstore); nodes of another group are
                                    refused, and so is a data directory made for another group
                  --tick-ms         length of one Raft tick (default 100; elections after 10-20 ticks)
                  --request-timeout-ms
                                    how long a request waits for a leader and its commit (default 5000)
                  --snapshot-every  snapshot the map after this many applied writes (default 10000)
                  --handover-ms     how long a leader stopped by SIGTERM waits to hand leadership to
                                    a follower (default 2000; 0 stops at once)

              java -jar kvstore.jar demo [--data-dir DIR] [--http-port PORT] [--raft-port PORT]
                  Runs a three-node cluster in this process until stopped (Ctrl-C).
                  --data-dir        where the three nodes keep their data (default: a temporary
                                    directory, deleted on exit)
                  --http-port       HTTP port of the first node; the others use the next two (default 8001)
                  --raft-port       Raft port of the first node; the others use the next two (default 7001)

              java -jar kvstore.jar --help
            """;

    private final Map<String, String> values;

    private CommandLine(Map<String, String> values) {
        this.values = values;
    }

    /** @throws UsageException on an unknown, repeated or valueless option, or a stray argument */
    static CommandLine parse(List<String> args, Set<String> accepted) throws UsageException {
        return parse(args, accepted, Set.of());
    }

    /**
     * As {@link #parse(List, Set)}, with {@code flags}: options that take no value ({@link #flag}).
     *
     * @throws UsageException also for a flag given a value
     */
    static CommandLine parse(List<String> args, Set<String> accepted, Set<String> flags) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (eq >= 0) {
                name = arg.substring(2, eq);
                value = arg.substring(eq + 1);
                if (flags.contains(name)) {
                    throw new UsageException("option --" + name + " takes no value");
                }
            } else if (flags.contains(arg.substring(2))) {
                name = arg.substring(2);
                value = "";
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    if (!accepted.contains(name)) {
                        throw new UsageException("unknown option --" + name);
                    }
                    throw new UsageException("option --" + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (!accepted.contains(name) && !flags.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
            if (values.putIfAbsent(name, value) != null) {
                throw new UsageException("option --" + name + " is given twice");
            }
        }
        return new CommandLine(values);
    }

    String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        if (v.isBlank()) {
            throw new UsageException("option --" + name + " must not be empty");
        }
        return v;
    }

    String optional(String name) {
        return values.get(name);
    }

    /** Whether flag {@code name} was given. */
    boolean flag(String name) {
        return values.containsKey(name);
    }

    /** An int option in {@code [min, max]}, or {@code fallback} when absent. */
    int intValue(String name, int fallback, int min, int max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new UsageException("option --" + name + " must be in " + min + ".." + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " must be a number, got '" + v + "'");
        }
    }

    static HostPort address(String option, String text) throws UsageException {
        try {
            return HostPort.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new UsageException("option --" + option + ": " + e.getMessage());
        }
    }
}
