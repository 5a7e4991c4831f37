package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.testkit.check.LinearizabilityChecker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing a running group of real kvstore processes (fsync on, real disks, Netty) under continuous
 * writes and linearizable reads from several clients, with the client history checked by the
 * simulator's linearizability checker at the end: a SIGKILLed node whose disk is lost is replaced; the
 * group grows from 3 to 5 and shrinks back, removing its leader; every node is restarted in turn, with
 * and without the leader's hand-over, and the longest stretch without a successful write is printed.
 */
class KvMembershipProcessIT {

    private static final List<String> JVM = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    private final KvHttpClient client = new KvHttpClient();
    /** The URLs the clients may use now. */
    private final List<String> live = new CopyOnWriteArrayList<>();

    @Test
    void aNodeLostWithItsDiskIsReplacedUnderLoad() throws Exception {
        try (KvProcesses nodes = new KvProcesses(dir, JVM);
             HistoryClients clients = new HistoryClients(CLIENTS, () -> live)) {
            try {
                List<String> founders = List.of("n1", "n2", "n3");
                nodes.startGroup(founders, "--tick-ms", "50", "--snapshot-every", "100");
                nodes.awaitAgreedLeader(founders);
                founders.forEach(id -> live.add(nodes.url(id)));
                clients.start();
                awaitWrites(clients, 150);

                nodes.kill("n3");
                nodes.wipe("n3");
                live.remove(nodes.url("n3"));
                nodes.startJoining("n4", "--tick-ms", "50", "--snapshot-every", "100");
                change(nodes, "n1", "POST", "/admin/members/n4?address=" + nodes.raftAddress("n4"), "already a member");
                awaitCaughtUp(nodes, List.of("n1", "n2"), "n4");
                assertThat(number(status(nodes, "n4"), "lastSnapshotIndex")).as("n4 caught up by snapshot")
                        .isPositive();
                change(nodes, "n2", "POST", "/admin/members/n4/promote", "is not a learner");
                live.add(nodes.url("n4"));
                change(nodes, "n4", "DELETE", "/admin/members/n3", "n3 is not a member");
                long before = clients.acknowledgedWrites();
                awaitWrites(clients, before + 100);
                clients.close();

                List<String> group = List.of("n1", "n2", "n4");
                String leader = nodes.awaitAgreedLeader(group);
                String members = status(nodes, leader);
                assertThat(members).contains("\"voters\":[\"n1\",\"n2\",\"n4\"]", "\"learners\":[]", "\"joint\":false");
                assertLinearizable(clients, "replace n3 by n4");
            } catch (Throwable t) {
                nodes.printLogs(80);
                throw t;
            }
        }
    }

    @Test
    void theGroupGrowsToFiveAndShrinksToThreeRemovingItsLeader() throws Exception {
        try (KvProcesses nodes = new KvProcesses(dir, JVM);
             HistoryClients clients = new HistoryClients(CLIENTS, () -> live)) {
            try {
                List<String> founders = List.of("n1", "n2", "n3");
                nodes.startGroup(founders, "--tick-ms", "50");
                nodes.awaitAgreedLeader(founders);
                founders.forEach(id -> live.add(nodes.url(id)));
                clients.start();
                awaitWrites(clients, 50);

                for (String id : List.of("n4", "n5")) {
                    nodes.startJoining(id, "--tick-ms", "50");
                    change(nodes, "n1", "POST", "/admin/members/" + id + "?address=" + nodes.raftAddress(id),
                            "already a member");
                    awaitCaughtUp(nodes, founders, id);
                    change(nodes, "n2", "POST", "/admin/members/" + id + "/promote", "is not a learner");
                    live.add(nodes.url(id));
                }
                List<String> five = List.of("n1", "n2", "n3", "n4", "n5");
                String leader = nodes.awaitAgreedLeader(five);
                assertThat(status(nodes, leader)).contains("\"voters\":[\"n1\",\"n2\",\"n3\",\"n4\",\"n5\"]");
                awaitWrites(clients, clients.acknowledgedWrites() + 50);

                // Remove the leader itself, then one more: asked of a node that stays.
                List<String> remaining = new ArrayList<>(five);
                remaining.remove(leader);
                String stays = remaining.get(0);
                change(nodes, stays, "DELETE", "/admin/members/" + leader, leader + " is not a member");
                live.remove(nodes.url(leader));
                String second = remaining.get(remaining.size() - 1);
                change(nodes, stays, "DELETE", "/admin/members/" + second, second + " is not a member");
                live.remove(nodes.url(second));
                remaining.remove(second);
                awaitWrites(clients, clients.acknowledgedWrites() + 50);
                clients.close();

                String last = nodes.awaitAgreedLeader(remaining);
                assertThat(remaining).contains(last);
                assertThat(status(nodes, last)).contains("\"voters\":" + jsonList(remaining), "\"joint\":false");
                assertLinearizable(clients, "grow 3 to 5, shrink to 3 removing leader " + leader);
            } catch (Throwable t) {
                nodes.printLogs(80);
                throw t;
            }
        }
    }

    @Test
    void aRollingRestartWithTheHandOverKeepsWritesFlowing() throws Exception {
        // Default settings (100 ms ticks): the figures are the ones an operator would see.
        for (boolean handover : new boolean[] {true, false}) {
            live.clear();
            Path root = dir.resolve(handover ? "with-handover" : "without-handover");
            try (KvProcesses nodes = new KvProcesses(java.nio.file.Files.createDirectories(root), JVM);
                 HistoryClients clients = new HistoryClients(2, () -> live)) {
                try {
                    List<String> ids = List.of("n1", "n2", "n3");
                    nodes.startGroup(ids, "--handover-ms", handover ? "2000" : "0");
                    nodes.awaitAgreedLeader(ids);
                    ids.forEach(id -> live.add(nodes.url(id)));
                    clients.start();
                    awaitWrites(clients, 50);
                    long from = System.nanoTime();
                    // The leader last, as an operator would: one hand-over, not one per restart.
                    String leader = nodes.awaitAgreedLeader(ids);
                    List<String> order = new ArrayList<>(ids);
                    order.remove(leader);
                    order.add(leader);
                    for (String id : order) {
                        live.remove(nodes.url(id));
                        nodes.stop(id);
                        nodes.start(id);
                        awaitCaughtUp(nodes, ids, id);
                        live.add(nodes.url(id));
                    }
                    long to = System.nanoTime();
                    awaitWrites(clients, clients.acknowledgedWrites() + 20);
                    clients.close();
                    System.out.printf("rolling restart of 3 kvstore processes (100 ms ticks), leader %s last,"
                                    + " hand-over %s: longest stretch without a successful write %.0f ms over %.1f s;"
                                    + " %s%n", leader, handover ? "on" : "off", clients.longestWriteGapMillis(from, to),
                            (to - from) / 1e9, clients.summary());
                    assertLinearizable(clients, "rolling restart, hand-over " + (handover ? "on" : "off"));
                } catch (Throwable t) {
                    nodes.printLogs(80);
                    throw t;
                }
            }
        }
    }

    /** Asks {@code via} for a change until it is done: 200, or a 409 that says it already happened. */
    private void change(KvProcesses nodes, String via, String method, String path, String alreadyDone) {
        KvHttpClient.Reply[] last = new KvHttpClient.Reply[1];
        Await.until(method + " " + path + " via " + via, KvProcesses.AWAIT, () -> {
            last[0] = client.send(nodes.url(via), method, path, null);
            if (last[0].status() == 200 || (last[0].status() == 409 && last[0].text().contains(alreadyDone))) {
                return true;
            }
            assertThat(last[0].status()).as("%s %s: %s", method, path, last[0].text()).isIn(409, 503, 504);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            return false;
        });
    }

    /** Waits until the leader (among {@code group}) reports {@code id} at most a few entries behind. */
    private void awaitCaughtUp(KvProcesses nodes, List<String> group, String id) {
        Await.until(id + " caught up with the leader", KvProcesses.AWAIT, () -> {
            String leader = nodes.awaitAgreedLeader(group);
            Matcher m = Pattern.compile("\"" + id + "\":(\\d+)").matcher(status(nodes, leader));
            return m.find() && Long.parseLong(m.group(1)) <= 20;
        });
    }

    private void awaitWrites(HistoryClients clients, long count) {
        Await.until(count + " acknowledged writes", KvProcesses.AWAIT, () -> clients.acknowledgedWrites() >= count);
    }

    private String status(KvProcesses nodes, String id) throws Exception {
        KvHttpClient.Reply r = client.send(nodes.url(id), "GET", "/status", null);
        assertThat(r.status()).isEqualTo(200);
        return r.text();
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String jsonList(List<String> ids) {
        return ids.stream().sorted().map(i -> "\"" + i + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    private static void assertLinearizable(HistoryClients clients, String what) {
        LinearizabilityChecker.Result result = clients.check();
        System.out.printf("%s: %s; linearizable=%s%n", what, clients.summary(), result.linearizable());
        assertThat(result.inconclusive()).as("the checker reached a verdict on %s", what).isFalse();
        assertThat(result.linearizable()).as("%s: %s", what, result.explanation()).isTrue();
    }
}
