package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Client sessions over HTTP ({@code POST /sessions}, the {@code Raft-Session} headers), against a real
 * three-node cluster in this JVM: a retried write is answered as the first attempt was and applied once,
 * on whichever node it is retried; bad headers, closed sessions and acknowledged sequence numbers are refused
 * and change nothing; the metrics count the sessions.
 */
class KvSessionTest extends SharedClusterTest {


    private String url(String id) {
        return cluster.url(id);
    }

    /** {@code POST /sessions} on node {@code id}: checks the 201 and its Location, returns the session id. */
    private long open(String id) throws Exception {
        KvHttpClient.Reply r = client.send(url(id), "POST", "/sessions", null);
        assertThat(r.status()).as("POST /sessions on %s: %s", id, r.text()).isEqualTo(201);
        Matcher m = Pattern.compile("\\{\"session\":(\\d+)}\n").matcher(r.text());
        assertThat(m.matches()).as("body %s", r.text()).isTrue();
        long session = Long.parseLong(m.group(1));
        assertThat(session).isPositive();
        assertThat(r.header("Location")).isEqualTo("/sessions/" + session);
        return session;
    }

    private KvHttpClient.Reply close(String id, long session) throws Exception {
        return client.send(url(id), "DELETE", "/sessions/" + session, null);
    }

    private static String[] headers(long session, long sequence) {
        return new String[] {"Raft-Session", Long.toString(session), "Raft-Sequence", Long.toString(sequence)};
    }

    private KvHttpClient.Reply put(String id, String key, String value, String... headers) throws Exception {
        return client.send(url(id), "PUT", "/kv/" + key, bytes(value), headers);
    }

    private KvHttpClient.Reply compareAndSet(String id, String key, String expect, String value, String... headers)
            throws Exception {
        return client.send(url(id), "POST", "/kv/" + key + "?expect=" + expect, bytes(value), headers);
    }

    /** The value of {@code key} read linearizably on {@code id}, or null when absent. */
    private String read(String id, String key) throws Exception {
        KvHttpClient.Reply r = client.get(url(id), key);
        assertThat(r.status()).as("GET %s on %s: %s", key, id, r.text()).isIn(200, 404);
        return r.status() == 404 ? null : r.text();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertSameAnswer(KvHttpClient.Reply retry, KvHttpClient.Reply first) {
        assertThat(retry.status()).as("status of the retry: %s", retry.text()).isEqualTo(first.status());
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("Content-Type")).isEqualTo(first.header("Content-Type"));
    }

    @Test
    void aCompareAndSetRetriedOnAnotherNodeGetsTheFirstAnswerAndIsNotAppliedAgain() throws Exception {
        long session = open("n1");
        assertThat(put("n1", "door", "a").status()).isEqualTo(200);

        KvHttpClient.Reply first = compareAndSet("n1", "door", "a", "b", headers(session, 1));
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(read("n3", "door")).isEqualTo("b");
        // Someone sets it back: applying the compare-and-set a second time would now succeed and show.
        assertThat(put("n2", "door", "a").status()).isEqualTo(200);

        // The client never saw the first answer (a timeout, say) and retries the same request elsewhere.
        KvHttpClient.Reply retry = compareAndSet("n2", "door", "a", "b", headers(session, 1));
        assertSameAnswer(retry, first);
        assertThat(read("n3", "door")).as("the retry was not applied").isEqualTo("a");

        // The same retry without the headers is applied again: what the session prevented.
        assertThat(compareAndSet("n2", "door", "a", "b").status()).isEqualTo(200);
        assertThat(read("n3", "door")).isEqualTo("b");

        // A refusal is saved as well: the retry gets the 409 even though the value now matches.
        KvHttpClient.Reply mismatch = compareAndSet("n3", "door", "x", "y", headers(session, 2));
        assertThat(mismatch.status()).isEqualTo(409);
        assertThat(mismatch.text()).contains("does not match");
        assertThat(put("n1", "door", "x").status()).isEqualTo(200);
        assertSameAnswer(compareAndSet("n1", "door", "x", "y", headers(session, 2)), mismatch);
        assertThat(read("n2", "door")).isEqualTo("x");

        assertThat(close("n2", session).status()).isEqualTo(200);
    }

    @Test
    void putsAndDeletesAreDeduplicatedToo() throws Exception {
        long session = open("n3");
        KvHttpClient.Reply put = put("n3", "lamp", "on", headers(session, 1));
        assertThat(put.status()).isEqualTo(200);
        assertThat(put("n1", "lamp", "off").status()).isEqualTo(200);
        // A retried PUT in a session does not overwrite the write another client made in between.
        assertSameAnswer(put("n2", "lamp", "on", headers(session, 1)), put);
        assertThat(read("n2", "lamp")).isEqualTo("off");

        KvHttpClient.Reply delete = client.send(url("n1"), "DELETE", "/kv/lamp", null, headers(session, 2));
        assertThat(delete.status()).isEqualTo(200);
        assertThat(put("n1", "lamp", "again").status()).isEqualTo(200);
        assertSameAnswer(client.send(url("n3"), "DELETE", "/kv/lamp", null, headers(session, 2)), delete);
        assertThat(read("n3", "lamp")).isEqualTo("again");
        assertThat(close("n3", session).status()).isEqualTo(200);
    }

    @Test
    void malformedSessionHeadersAre400NamingTheHeaderAndWriteNothing() throws Exception {
        long s = open("n2");
        String id = Long.toString(s);
        List<List<String>> cases = List.of(
                List.of("Raft-Session", "Raft-Session", "abc", "Raft-Sequence", "1"),
                List.of("Raft-Session", "Raft-Session", "0", "Raft-Sequence", "1"),
                List.of("Raft-Sequence", "Raft-Session", id, "Raft-Sequence", "0"),
                List.of("Raft-Sequence", "Raft-Session", id, "Raft-Sequence", "-1"),
                List.of("Raft-Sequence", "Raft-Session", id, "Raft-Sequence", "99999999999999999999"),
                List.of("Raft-Sequence", "Raft-Session", id, "Raft-Sequence", "1.5"),
                List.of("Raft-Acked-Below", "Raft-Session", id, "Raft-Sequence", "2", "Raft-Acked-Below", "3"),
                List.of("Raft-Acked-Below", "Raft-Session", id, "Raft-Sequence", "2", "Raft-Acked-Below", "0"),
                List.of("Raft-Acked-Below", "Raft-Session", id, "Raft-Sequence", "2", "Raft-Acked-Below", "x"),
                List.of("Raft-Sequence", "Raft-Session", id),
                List.of("Raft-Session", "Raft-Sequence", "1"),
                List.of("Raft-Acked-Below", "Raft-Acked-Below", "1"),
                List.of("Raft-Sequence", "Raft-Session", id, "Raft-Sequence", "1", "Raft-Sequence", "2"));
        for (List<String> c : cases) {
            String named = c.get(0);
            String[] headers = c.subList(1, c.size()).toArray(String[]::new);
            for (KvHttpClient.Reply r : List.of(put("n2", "guarded", "v", headers),
                    compareAndSet("n3", "guarded", "", "v", headers),
                    client.send(url("n1"), "DELETE", "/kv/guarded", null, headers))) {
                assertThat(r.status()).as("%s: %s", c, r.text()).isEqualTo(400);
                assertThat(r.text()).as("%s", c).contains(named).doesNotContain("Exception").doesNotContain("java.");
            }
        }
        // On anything but a write the headers would be ignored, so they are refused.
        KvHttpClient.Reply read = client.send(url("n1"), "GET", "/kv/guarded", null, headers(s, 1));
        assertThat(read.status()).isEqualTo(400);
        assertThat(read.text()).contains("Raft-Session", "writes only");
        assertThat(client.send(url("n1"), "POST", "/sessions", null, headers(s, 1)).status()).isEqualTo(400);

        assertThat(read("n1", "guarded")).as("no malformed write was applied").isNull();
        // The session is untouched: its first write still works.
        assertThat(put("n2", "guarded", "v", headers(s, 1)).status()).isEqualTo(200);
        assertThat(close("n2", s).status()).isEqualTo(200);
    }

    @Test
    void badSessionRoutesAre400Or405() throws Exception {
        assertThat(client.send(url("n1"), "DELETE", "/sessions/abc", null).status()).isEqualTo(400);
        assertThat(client.send(url("n1"), "DELETE", "/sessions/0", null).status()).isEqualTo(400);
        assertThat(client.send(url("n1"), "POST", "/sessions?timeout=5", null).status()).isEqualTo(400);
        KvHttpClient.Reply list = client.send(url("n1"), "GET", "/sessions", null);
        assertThat(list.status()).isEqualTo(405);
        assertThat(list.header("Allow")).isEqualTo("POST");
        KvHttpClient.Reply show = client.send(url("n1"), "GET", "/sessions/1", null);
        assertThat(show.status()).isEqualTo(405);
        assertThat(show.header("Allow")).isEqualTo("DELETE");
    }

    @Test
    void aWriteInAClosedOrUnknownSessionIs410AndChangesNothing() throws Exception {
        long session = open("n2");
        long another = open("n3");
        assertThat(another).as("every session has an id of its own").isNotEqualTo(session);
        assertThat(close("n3", another).status()).isEqualTo(200);
        assertThat(put("n2", "closed", "v1", headers(session, 1)).status()).isEqualTo(200);
        KvHttpClient.Reply closed = close("n3", session);
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.text()).isEqualTo("OK\n");
        assertThat(close("n1", session).status()).as("closing twice does no harm").isEqualTo(200);

        KvHttpClient.Reply next = put("n1", "closed", "v2", headers(session, 2));
        assertThat(next.status()).as(next.text()).isEqualTo(410);
        assertThat(next.text()).contains("session gone", "POST /sessions");
        // The saved answer went with the session: a retry of the first write is refused, not replayed.
        assertThat(put("n3", "closed", "v1", headers(session, 1)).status()).isEqualTo(410);
        KvHttpClient.Reply unknown = put("n2", "closed", "v3", headers(987_654_321L, 1));
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(410);
        assertThat(read("n1", "closed")).isEqualTo("v1");
    }

    @Test
    void aSequenceNumberBelowTheAcknowledgedOnesIs409AndNotAppliedAgain() throws Exception {
        long session = open("n1");
        assertThat(put("n1", "ack", "one", headers(session, 1)).status()).isEqualTo(200);
        // Raft-Acked-Below defaults to the sequence: the client says it holds the answer to write 1.
        assertThat(put("n2", "ack", "two", headers(session, 2)).status()).isEqualTo(200);
        KvHttpClient.Reply late = put("n3", "ack", "one", headers(session, 1));
        assertThat(late.status()).as(late.text()).isEqualTo(409);
        assertThat(late.text()).contains("already acknowledged");
        assertThat(read("n1", "ack")).isEqualTo("two");
        assertThat(close("n1", session).status()).isEqualTo(200);
    }

    @Test
    void aLowerAckedBelowKeepsEarlierAnswersForRetries() throws Exception {
        long session = open("n3");
        KvHttpClient.Reply create = compareAndSet("n3", "pipe", "", "1", headers(session, 1));
        assertThat(create.status()).isEqualTo(200);
        // Write 2 goes out while the client (pipelining) still lacks the answer to write 1.
        assertThat(put("n1", "other", "x", "Raft-Session", Long.toString(session), "Raft-Sequence", "2",
                "Raft-Acked-Below", "1").status()).isEqualTo(200);
        assertThat(client.delete(url("n2"), "pipe").status()).isEqualTo(200);
        // So write 1's answer is still kept: its retry gets it instead of a 409, and is not applied again.
        assertSameAnswer(compareAndSet("n2", "pipe", "", "1", headers(session, 1)), create);
        assertThat(read("n1", "pipe")).isNull();
        assertThat(close("n3", session).status()).isEqualTo(200);
    }

    @Test
    void metricsAndStatusCountTheSessionsAndTheirAnswers() throws Exception {
        String node = "n3";
        // A linearizable read makes the node apply every entry committed so far, so the gauges are settled.
        read(node, "settle");
        String page = metrics(node);
        assertThat(page).contains("# TYPE raftkit_sessions_open gauge", "# TYPE raftkit_session_answer_bytes gauge");
        long open = metric(page, "raftkit_sessions_open{node=\"n3\"}");
        long bytes = metric(page, "raftkit_session_answer_bytes{node=\"n3\"}");

        long session = open(node);
        // Answered once the opening entry was applied on this node: the gauge counts it already.
        assertThat(metric(metrics(node), "raftkit_sessions_open{node=\"n3\"}")).isEqualTo(open + 1);
        assertThat(sessionsOpenInStatus(node)).isEqualTo(open + 1);
        assertThat(put(node, "counted", "v", headers(session, 1)).status()).isEqualTo(200);
        assertThat(metric(metrics(node), "raftkit_session_answer_bytes{node=\"n3\"}")).isGreaterThan(bytes);

        assertThat(close(node, session).status()).isEqualTo(200);
        page = metrics(node);
        assertThat(metric(page, "raftkit_sessions_open{node=\"n3\"}")).isEqualTo(open);
        assertThat(metric(page, "raftkit_session_answer_bytes{node=\"n3\"}")).isEqualTo(bytes);
        assertThat(sessionsOpenInStatus(node)).isEqualTo(open);
    }

    private String metrics(String id) throws Exception {
        KvHttpClient.Reply r = client.send(url(id), "GET", "/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        return r.text();
    }

    private long sessionsOpenInStatus(String id) throws Exception {
        String json = client.send(url(id), "GET", "/status", null).text();
        Matcher m = Pattern.compile("\"sessionsOpen\":(\\d+)").matcher(json);
        assertThat(m.find()).as("sessionsOpen in %s", json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long metric(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Long.parseLong(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no " + series + " in\n" + text);
    }
}
