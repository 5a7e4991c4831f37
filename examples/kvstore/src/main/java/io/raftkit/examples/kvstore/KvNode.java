package io.raftkit.examples.kvstore;

import io.raftkit.node.NodeOptions;
import io.raftkit.node.RaftNode;
import io.raftkit.storage.FileSnapshotStore;
import io.raftkit.storage.SegmentedLog;
import io.raftkit.storage.SegmentedLogOptions;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.transport.netty.NettyTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running kvstore member: its data directory, a {@link RaftNode} over the segmented log, the
 * snapshot files and the Netty transport, with a {@link KvStateMachine}, and its HTTP listener.
 */
public final class KvNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KvNode.class);

    static final int MAX_KEY_BYTES = 1024;
    /** Snapshot files kept besides the newest, as a fallback should it be unreadable. */
    private static final int SNAPSHOTS_RETAINED = 2;

    private final String id;
    private final DataDirectory directory;
    private final RaftNode raft;
    private final KvHttpServer http;

    private KvNode(String id, DataDirectory directory, RaftNode raft, KvHttpServer http) {
        this.id = id;
        this.directory = directory;
        this.raft = raft;
        this.http = http;
    }

    /**
     * Opens the data directory (recovering the log and the latest snapshot), binds the HTTP address
     * and starts the Raft node, which binds its Raft address.
     *
     * @throws IOException when the directory cannot be used or an address cannot be bound
     */
    public static KvNode start(ServerArguments args) throws IOException {
        return start(args, FileSystem.nio());
    }

    /** As {@link #start(ServerArguments)}, with the log on {@code fileSystem} (tests inject faults there). */
    static KvNode start(ServerArguments args, FileSystem fileSystem) throws IOException {
        NodeOptions options = NodeOptions.builder()
                .tickInterval(Duration.ofMillis(args.tickMillis()))
                .requestTimeout(Duration.ofMillis(args.requestTimeoutMillis()))
                .snapshotEveryEntries(args.snapshotEvery())
                .closeTransferTimeout(Duration.ofMillis(args.handoverMillis()))
                .build();
        DataDirectory directory = DataDirectory.open(args.dataDir(), args.id(), args.clusterId());
        RaftNode raft = null;
        KvHttpServer http = null;
        try {
            raft = raftNode(args, directory, options, fileSystem);
            RequestParser parser = new RequestParser(MAX_KEY_BYTES);
            // The node fails a request after requestTimeout; the HTTP answer waits a little longer so that
            // the node's own, more precise failure is what the client sees.
            KvService service = new KvService(raft, options.maxCommandBytes(),
                    options.requestTimeout().plusSeconds(2));
            // A request's body gets as long to arrive as a request gets to be served.
            http = KvHttpServer.bind(args.http(), args.id(), parser, service, options.maxCommandBytes(),
                    options.requestTimeout());
            try {
                raft.start();
            } catch (RuntimeException e) {
                throw new IOException("node " + args.id() + " cannot start: " + e.getMessage(), e);
            }
            log.info("{}: serving HTTP on {}, Raft on {}, data in {}{}", args.id(), http.address(), args.raft(),
                    args.dataDir(), args.join() ? "; waiting to be added to group " + args.clusterId()
                            + " unless its log already holds a membership" : "");
            return new KvNode(args.id(), directory, raft, http);
        } catch (IOException | RuntimeException e) {
            if (http != null) {
                http.close();
            }
            if (raft != null) {
                raft.close();
            }
            directory.close();
            throw e;
        }
    }

    private static RaftNode raftNode(ServerArguments args, DataDirectory directory, NodeOptions options,
                                     FileSystem fileSystem) throws IOException {
        SegmentedLog wal = SegmentedLog.open(directory.log(), SegmentedLogOptions.defaults().withFileSystem(fileSystem));
        FileSnapshotStore snapshots;
        try {
            snapshots = FileSnapshotStore.open(directory.snapshots(), SNAPSHOTS_RETAINED);
        } catch (IOException | RuntimeException e) {
            wal.close();
            throw e;
        }
        try {
            NettyTransport transport = NettyTransport.builder()
                    .nodeId(args.id())
                    .clusterId(args.clusterId())
                    .members(args.memberAddresses())
                    .build();
            RaftNode.Builder builder = RaftNode.builder().id(args.id());
            // On a restart the log's membership is in force either way; these only matter for an empty log.
            if (args.join()) {
                builder.join();
            } else {
                builder.members(args.memberAddresses());
            }
            return builder
                    .stateMachine(new KvStateMachine())
                    .transport(transport)
                    .logStorage(wal)
                    .snapshotStore(snapshots)
                    .options(options)
                    .build();
        } catch (RuntimeException e) {
            snapshots.close();
            wal.close();
            throw e;
        }
    }

    public String id() {
        return id;
    }

    /** The Raft node, for status and for tests. */
    public RaftNode raft() {
        return raft;
    }

    public InetSocketAddress httpAddress() {
        return http.address();
    }

    /**
     * Closes the Raft node (a leader hands leadership over first; its transport, log and snapshots), then
     * stops answering HTTP and releases the directory. In that order, requests that arrive meanwhile get a
     * clean 503 rather than a broken connection.
     */
    @Override
    public void close() {
        raft.close();
        http.close();
        directory.close();
        log.info("{}: stopped", id);
    }
}
