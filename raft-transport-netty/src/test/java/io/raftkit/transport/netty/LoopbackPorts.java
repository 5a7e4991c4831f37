package io.raftkit.transport.netty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Free loopback ports for tests. */
final class LoopbackPorts {

    private LoopbackPorts() {}

    /** A port nothing listens on right now. */
    static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A member map giving each id its own free loopback port. */
    static Map<String, String> members(List<String> ids) {
        Map<String, String> members = new LinkedHashMap<>();
        for (String id : ids) {
            members.put(id, "127.0.0.1:" + free());
        }
        return members;
    }
}
