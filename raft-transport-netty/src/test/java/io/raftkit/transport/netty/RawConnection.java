package io.raftkit.transport.netty;

import io.raftkit.transport.netty.wire.Frame;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/** A plain socket that speaks (or mangles) the wire format by hand, for bad-input tests. */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final DataOutputStream out;

    RawConnection(String hostPort) throws IOException {
        InetSocketAddress address = NettyTransportBuilder.parseAddress(hostPort);
        socket = new Socket();
        socket.connect(address, (int) TestNode.WAIT.toMillis());
        socket.setTcpNoDelay(true);
        out = new DataOutputStream(socket.getOutputStream());
    }

    RawConnection handshake(String clusterId, String nodeId) throws IOException {
        return frame(WireProtocol.handshake(clusterId, nodeId, ""));
    }

    /** Writes all frames with one write, so that none can fail because an earlier one got us closed. */
    RawConnection frames(Frame... frames) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        DataOutputStream all = new DataOutputStream(bytes);
        for (Frame f : frames) {
            byte[] body = f.toByteArray();
            all.writeInt(body.length);
            all.write(body);
        }
        return bytes(bytes.toByteArray());
    }

    RawConnection frame(Frame frame) throws IOException {
        return frame(frame.toByteArray());
    }

    RawConnection frame(byte[] body) throws IOException {
        out.writeInt(body.length);
        out.write(body);
        out.flush();
        return this;
    }

    RawConnection bytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Waits for the other side to close; false when it is still open after {@link TestNode#WAIT}. */
    boolean closedByPeer() throws IOException {
        socket.setSoTimeout((int) TestNode.WAIT.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // The transport never answers; anything read is ignored.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset: closed with our bytes unread
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
