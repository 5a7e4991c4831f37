package io.raftkit.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldPrepender;
import java.net.InetSocketAddress;

/**
 * Builds the pipeline of every RaftKit connection. A connection carries messages one way: the node that
 * dials a peer only writes to it, the node that accepts only reads. Each stage does one job.
 *
 * <pre>
 *  accepting side (reads)                          dialling side (writes)
 *
 *  socket                                          socket
 *    |                                               ^
 *  [SslHandler]           TLS, when configured     [SslHandler]
 *    |                                               ^
 *  FrameDecoder           4-byte length, max size  LengthFieldPrepender   4-byte length
 *    |                    (8 KiB until admitted)    ^
 *    |  ByteBuf (slice)                              ^  ByteBuf
 *  WireDecoder            bytes -> protobuf        WireEncoder            protobuf -> bytes, max size
 *    |  ParsedFrame                                  ^  Frame (AppendRequest: AppendFrameCodec)
 *  HandshakeVerifier      first frame only         WireMapper             core record -> protobuf
 *    |  ParsedFrame                                  ^  Message
 *  WireMapper             protobuf -> core record  WritabilityWatcher     resumes the peer queue
 *    |  Message                                      ^
 *  InboundDispatcher      -> Transport.Receiver    PeerLink               writes queued messages,
 *    |                                                                    one flush per batch
 *  ErrorCloser            closes on any error      ErrorCloser
 * </pre>
 *
 * <p>The dialling side writes the handshake frame first, straight as a {@code Frame}, which
 * {@link WireMapper} lets pass. The frame that carries entries, the {@code AppendRequest}, skips the
 * protobuf objects both ways: {@link WireDecoder} reads it straight into the core record and
 * {@link WireEncoder} writes it straight from it, both with {@link AppendFrameCodec} (same bytes).
 * Stateless stages are shared; {@link FrameDecoder}, {@link HandshakeVerifier} and the TLS handler are made
 * per connection.
 */
final class RaftChannelInitializer extends ChannelInitializer<Channel> {

    private final TransportSettings settings;
    private final TransportCounters counters;
    private final ErrorCloser errorCloser;
    // Accepting side only.
    private final InboundDispatcher dispatcher;
    private final HandshakeVerifier.AdmittedPeer onAdmitted;
    // Dialling side only.
    private final InetSocketAddress peerAddress;
    private final WireEncoder encoder;
    private final Runnable onWritable;

    private RaftChannelInitializer(TransportSettings settings, TransportCounters counters,
                                   InboundDispatcher dispatcher, HandshakeVerifier.AdmittedPeer onAdmitted,
                                   InetSocketAddress peerAddress, Runnable onWritable) {
        this.settings = settings;
        this.counters = counters;
        this.errorCloser = new ErrorCloser(counters.protocolErrors::increment, counters.unencodableDropped::increment);
        this.dispatcher = dispatcher;
        this.onAdmitted = onAdmitted;
        this.peerAddress = peerAddress;
        this.onWritable = onWritable;
        this.encoder = new WireEncoder(settings.maxFrameBytes(), counters.oversizedDropped::increment);
    }

    /** The pipeline of connections this node's server accepts; {@code onAdmitted} hears of each peer. */
    static RaftChannelInitializer accepting(TransportSettings settings, TransportCounters counters,
                                            InboundDispatcher dispatcher, HandshakeVerifier.AdmittedPeer onAdmitted) {
        return new RaftChannelInitializer(settings, counters, dispatcher, onAdmitted, null, null);
    }

    /** The pipeline of the connection this node dials to {@code peerAddress}. */
    static RaftChannelInitializer dialling(TransportSettings settings, TransportCounters counters,
                                           InetSocketAddress peerAddress, Runnable onWritable) {
        return new RaftChannelInitializer(settings, counters, null, null, peerAddress, onWritable);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (dispatcher != null) {
            if (settings.tls() != null) {
                p.addLast("tls", settings.tls().serverContext().newHandler(ch.alloc()));
            }
            FrameDecoder frameDecoder = new FrameDecoder(settings.maxFrameBytes(), counters.protocolErrors::increment);
            p.addLast("frameDecoder", frameDecoder);
            p.addLast("wireDecoder", WireDecoder.INSTANCE);
            p.addLast("handshake", new HandshakeVerifier(settings.clusterId(), settings.nodeId(),
                    settings.handshakeTimeout(), counters.refusedConnections::increment,
                    (id, address, remote) -> {
                        frameDecoder.admit();
                        onAdmitted.admitted(id, address, remote);
                    }));
            p.addLast("wireMapper", WireMapper.INSTANCE);
            p.addLast("dispatcher", dispatcher);
        } else {
            if (settings.tls() != null) {
                p.addLast("tls", settings.tls().clientContext().newHandler(ch.alloc(),
                        peerAddress.getHostString(), peerAddress.getPort()));
            }
            p.addLast("framePrepender", new LengthFieldPrepender(FrameDecoder.LENGTH_BYTES));
            p.addLast("wireEncoder", encoder);
            p.addLast("wireMapper", WireMapper.INSTANCE);
            p.addLast("writability", new WritabilityWatcher(onWritable));
        }
        p.addLast("errors", errorCloser);
    }
}
