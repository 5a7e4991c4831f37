package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.contract.SampleMessages;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS: peers with a certificate from the group's authority talk; nobody else gets a message in. */
class TlsTest {

    private static TestCertificates.Issued authority;
    private static TestCertificates.Issued n1Cert;
    private static TestCertificates.Issued n2Cert;
    private static TestCertificates.Issued rogueAuthority;
    private static TestCertificates.Issued rogueCert;

    @TempDir
    Path dir;
    private final Map<String, String> members = LoopbackPorts.members(List.of("n1", "n2", "n3"));
    private final List<TestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void issueCertificates() throws Exception {
        authority = TestCertificates.authority("raftkit-test-ca");
        n1Cert = TestCertificates.node("n1", authority);
        n2Cert = TestCertificates.node("n2", authority);
        rogueAuthority = TestCertificates.authority("rogue-ca");
        rogueCert = TestCertificates.node("n3", rogueAuthority);
    }

    @AfterEach
    void closeAll() {
        nodes.forEach(TestNode::close);
    }

    private TestNode start(String id, TlsConfig tls) {
        TestNode node = TestNode.start(id, members, b -> b.tls(tls));
        nodes.add(node);
        return node;
    }

    private static void assertExchange(TestNode a, TestNode b) throws InterruptedException {
        List<Message> sent = SampleMessages.all(a.id, b.id);
        sent.forEach(a.transport::send);
        for (Message expected : sent) {
            assertThat(b.poll()).isEqualTo(expected);
        }
        b.transport.send(new Heartbeat(b.id, a.id, 1, 2, 3));
        assertThat(a.poll()).isEqualTo(new Heartbeat(b.id, a.id, 1, 2, 3));
    }

    @Test
    void peersWithCertificatesFromPemFilesExchangeEveryMessage() throws Exception {
        TestNode n1 = start("n1", TestCertificates.pem(dir, n1Cert, authority.certificate()));
        TestNode n2 = start("n2", TestCertificates.pem(dir, n2Cert, authority.certificate()));
        assertExchange(n1, n2);
        assertThat(n1.stats().protocolErrors() + n2.stats().protocolErrors()).isZero();
    }

    @Test
    void peersWithCertificatesFromKeyStoresExchangeEveryMessage() throws Exception {
        char[] password = "changeit".toCharArray();
        TestNode n1 = start("n1", TestCertificates.keyStores(dir, n1Cert, authority.certificate(), password));
        TestNode n2 = start("n2", TestCertificates.keyStores(dir, n2Cert, authority.certificate(), password));
        assertExchange(n1, n2);
    }

    @Test
    void aPeerWhoseCertificateTheGroupDoesNotTrustCannotDeliver() throws Exception {
        TestNode n1 = start("n1", TestCertificates.pem(dir, n1Cert, authority.certificate()));
        TestNode n2 = start("n2", TestCertificates.pem(dir, n2Cert, authority.certificate()));
        // n3 trusts the group's authority, so it accepts n1's certificate; n1 must reject n3's.
        TestNode n3 = start("n3", TestCertificates.pem(dir, rogueCert, authority.certificate()));
        n3.transport.send(new Heartbeat("n3", "n1", 1, 1, 0));
        Await.until("n1 rejects n3's certificate", () -> n1.stats().protocolErrors() >= 1);
        n2.transport.send(new Heartbeat("n2", "n1", 1, 2, 0));
        assertThat(n1.poll()).as("only the trusted peer's message").isEqualTo(new Heartbeat("n2", "n1", 1, 2, 0));
        assertThat(n1.inbox).isEmpty();
        assertThat(n1.stats().messagesReceived()).isEqualTo(1);
    }

    @Test
    void aPeerWithoutTlsCannotDeliver() throws Exception {
        TestNode n1 = start("n1", TestCertificates.pem(dir, n1Cert, authority.certificate()));
        TestNode plain = start("n3", null);
        plain.transport.send(new Heartbeat("n3", "n1", 1, 1, 0));
        Await.until("n1 rejects the plaintext connection", () -> n1.stats().protocolErrors() >= 1);
        assertThat(n1.inbox).isEmpty();
        assertThat(n1.stats().messagesReceived()).isZero();
    }

    @Test
    void unreadableTlsMaterialIsReportedClearly() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TlsConfig.fromPem(missing, missing, missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
    }
}
