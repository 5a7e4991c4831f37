package io.raftkit.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.core.Transport;
import io.raftkit.core.message.Heartbeat;
import io.raftkit.core.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Transport} promises. An implementation's test extends this class and
 * creates transports for the nodes {@link #IDS}, each able to reach the others.
 */
public abstract class TransportContractTest {

    /** The group every test uses. */
    protected static final List<String> IDS = List.of("n1", "n2", "n3");

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Transport> opened = new ArrayList<>();

    /**
     * A new, unstarted transport for node {@code id} (one of {@link #IDS}). Called again for the same id
     * after the previous one was closed, to model a restart; it must then reach and be reached by the
     * others again.
     */
    protected abstract Transport create(String id) throws Exception;

    @AfterEach
    void closeAll() {
        for (Transport t : opened) {
            t.close();
        }
    }

    private Transport started(String id, BlockingQueue<Message> inbox) throws Exception {
        Transport t = create(id);
        opened.add(t);
        t.start(inbox::add);
        return t;
    }

    private static Message poll(BlockingQueue<Message> inbox) throws InterruptedException {
        return inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void everyMessageTypeArrivesIntact() throws Exception {
        BlockingQueue<Message> inbox1 = new LinkedBlockingQueue<>();
        BlockingQueue<Message> inbox2 = new LinkedBlockingQueue<>();
        Transport t1 = started("n1", inbox1);
        started("n2", inbox2);
        List<Message> sent = SampleMessages.all("n1", "n2");
        for (Message m : sent) {
            t1.send(m);
        }
        List<Message> received = new ArrayList<>();
        while (received.size() < sent.size()) {
            Message m = poll(inbox2);
            assertThat(m).as("message %d of %d", received.size() + 1, sent.size()).isNotNull();
            received.add(m);
        }
        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(inbox1).isEmpty();
    }

    @Test
    void messagesBetweenTwoNodesArriveInOrder() throws Exception {
        BlockingQueue<Message> inbox2 = new LinkedBlockingQueue<>();
        Transport t1 = started("n1", new LinkedBlockingQueue<>());
        started("n2", inbox2);
        int n = 2000;
        for (int i = 1; i <= n; i++) {
            t1.send(new Heartbeat("n1", "n2", 1, i, 0));
        }
        long last = 0;
        for (int i = 1; i <= n; i++) {
            Message m = poll(inbox2);
            assertThat(m).as("heartbeat %d", i).isInstanceOf(Heartbeat.class);
            assertThat(((Heartbeat) m).commitIndex()).isGreaterThan(last);
            last = ((Heartbeat) m).commitIndex();
        }
        assertThat(last).isEqualTo(n);
    }

    @Test
    void everyNodeReachesEveryOther() throws Exception {
        List<BlockingQueue<Message>> inboxes = new ArrayList<>();
        List<Transport> transports = new ArrayList<>();
        for (String id : IDS) {
            BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
            inboxes.add(inbox);
            transports.add(started(id, inbox));
        }
        for (int i = 0; i < IDS.size(); i++) {
            for (int j = 0; j < IDS.size(); j++) {
                if (i != j) {
                    transports.get(i).send(new Heartbeat(IDS.get(i), IDS.get(j), 1, i, j));
                }
            }
        }
        for (int j = 0; j < IDS.size(); j++) {
            List<String> senders = new ArrayList<>();
            for (int k = 0; k < IDS.size() - 1; k++) {
                Message m = poll(inboxes.get(j));
                assertThat(m).isNotNull();
                assertThat(m.to()).isEqualTo(IDS.get(j));
                senders.add(m.from());
            }
            String self = IDS.get(j);
            assertThat(senders).containsExactlyInAnyOrderElementsOf(
                    IDS.stream().filter(id -> !id.equals(self)).toList());
        }
    }

    @Test
    void sendingNeverThrowsForUnknownPeersOrBeforeStartOrAfterClose() throws Exception {
        Transport t1 = create("n1");
        opened.add(t1);
        t1.send(new Heartbeat("n1", "n2", 1, 0, 0));
        t1.start(m -> {});
        t1.send(new Heartbeat("n1", "nobody", 1, 0, 0));
        t1.close();
        t1.send(new Heartbeat("n1", "n2", 1, 0, 0));
        t1.close();
    }

    @Test
    void startingTwiceIsRejected() throws Exception {
        Transport t1 = started("n1", new LinkedBlockingQueue<>());
        assertThatThrownBy(() -> t1.start(m -> {})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRestartedPeerIsReachedAgain() throws Exception {
        Transport t1 = started("n1", new LinkedBlockingQueue<>());
        BlockingQueue<Message> inbox2 = new LinkedBlockingQueue<>();
        Transport t2 = started("n2", inbox2);
        t1.send(new Heartbeat("n1", "n2", 1, 1, 0));
        assertThat(poll(inbox2)).isNotNull();

        t2.close();
        BlockingQueue<Message> inbox2b = new LinkedBlockingQueue<>();
        started("n2", inbox2b);
        // The sender may drop while it notices the old connection died and reconnects, so keep sending
        // (as Raft's heartbeats would) until one arrives.
        long deadline = System.nanoTime() + WAIT.toNanos();
        Message got = null;
        for (long i = 2; got == null && System.nanoTime() < deadline; i++) {
            t1.send(new Heartbeat("n1", "n2", 1, i, 0));
            got = inbox2b.poll(50, TimeUnit.MILLISECONDS);
        }
        assertThat(got).as("a message reaches the restarted peer").isNotNull();
    }
}
