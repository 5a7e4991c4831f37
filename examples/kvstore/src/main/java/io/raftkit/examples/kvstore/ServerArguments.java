package io.raftkit.examples.kvstore;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of one kvstore node, read from its command line
 * ({@code --id n1 --data-dir DIR --raft HOST:PORT --http HOST:PORT --peers n1=HOST:PORT,...}, or
 * {@code --join} instead of {@code --peers}).
 *
 * @param id this node's id
 * @param dataDir where its log and snapshots live
 * @param raft the address its Raft transport listens on (its own entry in {@code peers})
 * @param http the address its HTTP interface listens on
 * @param peers every member's Raft address by id, this node included, in command-line order; for a
 *     joining node only its own
 * @param tickMillis the length of one Raft tick
 * @param requestTimeoutMillis how long a request waits for a leader and for its commit
 * @param snapshotEvery applied writes between two snapshots
 * @param clusterId the group's name: the transport refuses nodes of another, the data directory
 *     refuses to serve another
 * @param join whether the node joins a running group (starts empty, never campaigns until added)
 *     rather than starting a new one of {@code peers}
 * @param handoverMillis how long a leader that is stopped waits for leadership to move (0: stops at once)
 */
public record ServerArguments(String id, Path dataDir, HostPort raft, HostPort http, Map<String, HostPort> peers,
                              int tickMillis, int requestTimeoutMillis, int snapshotEvery, String clusterId,
                              boolean join, int handoverMillis) {

    static final String DEFAULT_CLUSTER_ID = "kvstore";
    static final int DEFAULT_HANDOVER_MILLIS = 2_000;

    static final int DEFAULT_TICK_MILLIS = 100;
    static final int DEFAULT_REQUEST_TIMEOUT_MILLIS = 5_000;
    static final int DEFAULT_SNAPSHOT_EVERY = 10_000;

    private static final Set<String> OPTIONS =
            Set.of("id", "data-dir", "raft", "http", "peers", "tick-ms", "request-timeout-ms", "snapshot-every",
                    "cluster-id", "handover-ms");
    private static final Set<String> FLAGS = Set.of("join");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public ServerArguments {
        peers = Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    }

    /** A node of a new group named {@value #DEFAULT_CLUSTER_ID}. */
    public ServerArguments(String id, Path dataDir, HostPort raft, HostPort http, Map<String, HostPort> peers,
                           int tickMillis, int requestTimeoutMillis, int snapshotEvery) {
        this(id, dataDir, raft, http, peers, tickMillis, requestTimeoutMillis, snapshotEvery, DEFAULT_CLUSTER_ID,
                false, DEFAULT_HANDOVER_MILLIS);
    }

    /** This node, to join the group {@code clusterId} at {@code raft}, with this node's other settings. */
    public ServerArguments joining(String clusterId) {
        return new ServerArguments(id, dataDir, raft, http, Map.of(id, raft), tickMillis, requestTimeoutMillis,
                snapshotEvery, clusterId, true, handoverMillis);
    }

    /** @throws UsageException naming the first problem found */
    public static ServerArguments parse(List<String> args) throws UsageException {
        CommandLine line = CommandLine.parse(args, OPTIONS, FLAGS);
        String id = line.required("id").trim();
        if (!NODE_ID.matcher(id).matches()) {
            throw new UsageException("option --id: '" + id + "' is not a node id (letters, digits, '_', '.', '-')");
        }
        Path dataDir;
        try {
            dataDir = Path.of(line.required("data-dir"));
        } catch (InvalidPathException e) {
            throw new UsageException("option --data-dir: " + e.getMessage());
        }
        HostPort raft = CommandLine.address("raft", line.required("raft"));
        HostPort http = CommandLine.address("http", line.required("http"));
        boolean join = line.flag("join");
        if (join == (line.optional("peers") != null)) {
            throw new UsageException(join
                    ? "give either --peers (to start a new group) or --join (to join a running one), not both"
                    : "missing required option --peers (or --join to join a running group)");
        }
        Map<String, HostPort> peers = join ? Map.of(id, raft) : parsePeers(line.required("peers"));
        HostPort own = peers.get(id);
        if (own == null) {
            throw new UsageException("option --peers must list this node's id " + id + " (it lists " + peers.keySet() + ")");
        }
        if (!own.equals(raft)) {
            throw new UsageException("option --raft is " + raft + " but --peers gives " + id + "=" + own
                    + "; they must be the same address");
        }
        if (peers.containsValue(http)) {
            throw new UsageException("option --http " + http + " is also a Raft address in --peers");
        }
        int tick = line.intValue("tick-ms", DEFAULT_TICK_MILLIS, 1, 10_000);
        int timeout = line.intValue("request-timeout-ms", DEFAULT_REQUEST_TIMEOUT_MILLIS, 1, 3_600_000);
        if (timeout <= tick) {
            throw new UsageException("option --request-timeout-ms (" + timeout + ") must be longer than --tick-ms ("
                    + tick + ")");
        }
        int snapshotEvery = line.intValue("snapshot-every", DEFAULT_SNAPSHOT_EVERY, 1, Integer.MAX_VALUE);
        String clusterId = line.optional("cluster-id") == null ? DEFAULT_CLUSTER_ID : line.required("cluster-id").trim();
        if (!NODE_ID.matcher(clusterId).matches()) {
            throw new UsageException("option --cluster-id: '" + clusterId
                    + "' is not a name (letters, digits, '_', '.', '-', at most 64)");
        }
        int handover = line.intValue("handover-ms", DEFAULT_HANDOVER_MILLIS, 0, 600_000);
        return new ServerArguments(id, dataDir, raft, http, peers, tick, timeout, snapshotEvery, clusterId, join,
                handover);
    }

    /** Reads {@code id=host:port,id=host:port,...}. */
    static Map<String, HostPort> parsePeers(String text) throws UsageException {
        Map<String, HostPort> peers = new LinkedHashMap<>();
        for (String item : text.split(",", -1)) {
            String member = item.trim();
            int eq = member.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("option --peers: '" + member + "' is not id=host:port");
            }
            String id = member.substring(0, eq).trim();
            if (!NODE_ID.matcher(id).matches()) {
                throw new UsageException("option --peers: '" + id + "' is not a node id (letters, digits, '_', '.', '-')");
            }
            HostPort address = CommandLine.address("peers", member.substring(eq + 1));
            if (peers.containsKey(id)) {
                throw new UsageException("option --peers lists " + id + " twice");
            }
            if (peers.containsValue(address)) {
                throw new UsageException("option --peers gives two members the address " + address);
            }
            peers.put(id, address);
        }
        return peers;
    }

    /** The members as the Raft node and transport want them: id to {@code host:port}. */
    public Map<String, String> memberAddresses() {
        Map<String, String> members = new LinkedHashMap<>();
        peers.forEach((id, address) -> members.put(id, address.toString()));
        return members;
    }
}
