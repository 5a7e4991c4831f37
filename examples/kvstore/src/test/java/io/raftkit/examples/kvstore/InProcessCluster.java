package io.raftkit.examples.kvstore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three kvstore members on free loopback ports in this JVM, each a full {@link KvNode} (segmented log
 * on disk, Netty transport, HTTP), started on demand. Fast ticks keep elections short.
 */
final class InProcessCluster implements AutoCloseable {

    /** Small, so that the tests' few hundred writes take snapshots and compact the logs. */
    static final int SNAPSHOT_EVERY = 50;
    static final int TICK_MILLIS = 50; // 0.5-1 s elections: a loaded CI machine does not depose leaders mid-test

    private final Path root;
    private final int requestTimeoutMillis;
    private final Map<String, HostPort> peers = new LinkedHashMap<>();
    private final Map<String, HostPort> http = new LinkedHashMap<>();
    private final Map<String, KvNode> running = new LinkedHashMap<>();
    private final FreePorts ports = new FreePorts();
    private final Map<String, HostPort> joinedRaft = new LinkedHashMap<>();

    InProcessCluster(Path root, int requestTimeoutMillis) {
        this.root = root;
        this.requestTimeoutMillis = requestTimeoutMillis;
        for (String id : List.of("n1", "n2", "n3")) {
            peers.put(id, new HostPort("127.0.0.1", ports.next()));
            http.put(id, new HostPort("127.0.0.1", ports.next()));
        }
    }

    KvNode start(String id) throws IOException {
        KvNode node = KvNode.start(arguments(id));
        running.put(id, node);
        return node;
    }

    void startAll() throws IOException {
        for (String id : peers.keySet()) {
            start(id);
        }
    }

    List<String> ids() {
        return new ArrayList<>(peers.keySet());
    }

    /** {@code http://host:port} of a member. */
    /** Waits until every node's /status names the same leader. */
    void awaitAgreedLeader(KvHttpClient client, java.time.Duration await) {
        Await.until("a leader known to every node", await, () -> {
            String leader = null;
            for (String id : ids()) {
                KvHttpClient.Status s = client.status(url(id));
                if (s.leader() == null || (leader != null && !leader.equals(s.leader()))) {
                    return false;
                }
                leader = s.leader();
            }
            return true;
        });
    }

    String url(String id) {
        return "http://" + http.get(id);
    }

    KvNode node(String id) {
        return running.get(id);
    }

    /** The arguments member {@code id} runs with (its data directory under the cluster's root). */
    ServerArguments arguments(String id) {
        return new ServerArguments(id, root.resolve(id), peers.get(id), http.get(id), peers, TICK_MILLIS,
                requestTimeoutMillis, SNAPSHOT_EVERY);
    }

    /**
     * Starts a node that is no member yet: {@code --join}, with addresses of its own, in group
     * {@code clusterId}. Add it with {@code POST /admin/members/{id}?address=} {@link #raftAddress}.
     */
    KvNode startJoining(String id, String clusterId) throws IOException {
        HostPort raft = new HostPort("127.0.0.1", ports.next());
        http.put(id, new HostPort("127.0.0.1", ports.next()));
        ServerArguments args = new ServerArguments(id, root.resolve(id), raft, http.get(id), Map.of(id, raft),
                TICK_MILLIS, requestTimeoutMillis, SNAPSHOT_EVERY).joining(clusterId);
        KvNode node = KvNode.start(args);
        running.put(id, node);
        joinedRaft.put(id, raft);
        return node;
    }

    /** The Raft address of member or joining node {@code id}. */
    String raftAddress(String id) {
        HostPort a = peers.containsKey(id) ? peers.get(id) : joinedRaft.get(id);
        return a.toString();
    }

    /** Closes member {@code id}, as a clean shutdown would. */
    void stop(String id) {
        KvNode node = running.remove(id);
        if (node != null) {
            node.close();
        }
    }

    @Override
    public void close() {
        running.values().forEach(KvNode::close);
        running.clear();
    }
}
