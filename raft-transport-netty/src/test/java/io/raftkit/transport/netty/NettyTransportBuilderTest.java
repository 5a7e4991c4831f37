package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NettyTransportBuilderTest {

    private static final Map<String, String> MEMBERS = Map.of("n1", "127.0.0.1:7001", "n2", "127.0.0.1:7002");

    @Test
    void namesEveryMissingSettingAtOnce() {
        assertThatThrownBy(() -> NettyTransport.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodeId is not set")
                .hasMessageContaining("clusterId is not set")
                .hasMessageContaining("members is not set");
    }

    @Test
    void requiresTheNodeAmongTheMembers() {
        assertThatThrownBy(() -> NettyTransport.builder().nodeId("n9").clusterId("c").members(MEMBERS).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not include nodeId 'n9'");
    }

    @Test
    void rejectsMalformedAddresses() {
        assertThatThrownBy(() -> NettyTransport.builder().nodeId("n1").clusterId("c")
                .members(Map.of("n1", "127.0.0.1", "n2", "127.0.0.1:99999", "n3", "127.0.0.1:x")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("member n1: address '127.0.0.1' is not host:port")
                .hasMessageContaining("port outside 1..65535")
                .hasMessageContaining("no numeric port");
    }

    @Test
    void acceptsBracketedIpv6Addresses() {
        assertThat(NettyTransportBuilder.parseAddress("[::1]:7001").getPort()).isEqualTo(7001);
        assertThat(NettyTransportBuilder.parseAddress("[::1]:7001").getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void rejectsOutOfRangeLimitsAndDelays() {
        assertThatThrownBy(() -> NettyTransport.builder().nodeId("n1").clusterId("c").members(MEMBERS)
                .maxFrameBytes(10).maxQueuedMessages(0).maxQueuedBytes(0).ioThreads(0)
                .connectTimeout(Duration.ZERO).minReconnectDelay(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFrameBytes").hasMessageContaining("maxQueuedMessages")
                .hasMessageContaining("maxQueuedBytes").hasMessageContaining("ioThreads")
                .hasMessageContaining("connectTimeout").hasMessageContaining("minReconnectDelay");
        assertThatThrownBy(() -> NettyTransport.builder().nodeId("n1").clusterId("c").members(MEMBERS)
                .minReconnectDelay(Duration.ofSeconds(5)).maxReconnectDelay(Duration.ofSeconds(1)).build())
                .hasMessageContaining("maxReconnectDelay PT1S is below minReconnectDelay PT5S");
    }

    @Test
    void rejectsIdsTooLongForAHandshake() {
        assertThatThrownBy(() -> NettyTransport.builder().nodeId("n1").clusterId("c".repeat(10_000))
                .members(MEMBERS).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long for a handshake");
    }

    @Test
    void itsSettingsCanBeReadBack() {
        NettyTransport t = NettyTransport.builder().nodeId("n1").clusterId("orders").members(MEMBERS)
                .maxQueuedMessages(77).build();
        assertThat(t.nodeId()).isEqualTo("n1");
        assertThat(t.clusterId()).isEqualTo("orders");
        assertThat(t.members()).containsOnlyKeys(MEMBERS.keySet());
        assertThat(t.listenAddress().getPort()).isEqualTo(t.members().get("n1").getPort());
        assertThat(t.toString()).contains("nodeId=n1", "clusterId=orders", "maxQueuedMessages=77", "tls=off");
        t.close();
    }

    @Test
    void buildsOnce() {
        NettyTransportBuilder builder = NettyTransport.builder().nodeId("n1").clusterId("c").members(MEMBERS);
        builder.build().close();
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reportsAnAddressItCannotBind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NettyTransport t = NettyTransport.builder().nodeId("n1").clusterId("c")
                    .members(Map.of("n1", "127.0.0.1:" + taken.getLocalPort())).build();
            assertThatThrownBy(() -> t.start(m -> {})).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot listen on");
            t.close();
        }
    }
}
