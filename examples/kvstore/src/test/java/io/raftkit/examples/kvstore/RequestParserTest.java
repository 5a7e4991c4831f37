package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.node.ReadConsistency;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private final RequestParser parser = new RequestParser(16);
    private static final byte[] BODY = "body".getBytes(StandardCharsets.UTF_8);

    private KvRequest parse(String method, String target) throws InvalidRequestException {
        return parser.parse(method, target, BODY);
    }

    /** Parses with headers given as names and values in turn (a name twice: two values). */
    private KvRequest parse(String method, String target, String... headers) throws InvalidRequestException {
        Map<String, List<String>> byName = new TreeMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            byName.computeIfAbsent(headers[i].toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(headers[i + 1]);
        }
        return parser.parse(method, target, name -> byName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()),
                BODY);
    }

    private static void assertStatus(ThrowingCallable call, int status, String message) {
        assertThatThrownBy(call).isInstanceOf(InvalidRequestException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidRequestException) e).status()).isEqualTo(status));
    }

    @Test
    void routesEveryMethod() throws InvalidRequestException {
        assertThat(parse("GET", "/kv/a")).isInstanceOfSatisfying(KvRequest.Get.class, g -> {
            assertThat(g.key()).isEqualTo("a".getBytes(StandardCharsets.UTF_8));
            assertThat(g.consistency()).isEqualTo(ReadConsistency.LINEARIZABLE);
        });
        assertThat(parse("PUT", "/kv/a")).isInstanceOfSatisfying(KvRequest.Put.class,
                p -> assertThat(p.value()).isEqualTo(BODY));
        assertThat(parse("DELETE", "/kv/a")).isInstanceOf(KvRequest.Delete.class);
        assertThat(parse("POST", "/kv/a?expect=old+v%21")).isInstanceOfSatisfying(KvRequest.CompareAndSet.class, c -> {
            assertThat(new String(c.expect(), StandardCharsets.UTF_8)).isEqualTo("old v!");
            assertThat(c.value()).isEqualTo(BODY);
        });
        assertThat(parse("GET", "/status")).isInstanceOf(KvRequest.Status.class);
    }

    @Test
    void routesTheAdminRequests() throws InvalidRequestException {
        assertThat(parse("GET", "/admin/members")).isInstanceOf(KvRequest.Members.class);
        assertThat(parse("POST", "/admin/members/n4?address=127.0.0.1:7004"))
                .isEqualTo(new KvRequest.AddLearner("n4", "127.0.0.1:7004"));
        assertThat(parse("POST", "/admin/members/n4?address=%5B::1%5D:7004"))
                .isEqualTo(new KvRequest.AddLearner("n4", "[::1]:7004"));
        assertThat(parse("POST", "/admin/members/n4/promote")).isEqualTo(new KvRequest.Promote("n4"));
        assertThat(parse("DELETE", "/admin/members/n4")).isEqualTo(new KvRequest.RemoveMember("n4"));
        assertThat(parse("POST", "/admin/leader?to=n2")).isEqualTo(new KvRequest.TransferLeader("n2"));
        assertThat(parse("POST", "/admin/leader")).isEqualTo(new KvRequest.TransferLeader(null));
    }

    @Test
    void refusesMalformedAdminRequests() {
        assertThatThrownBy(() -> parse("POST", "/admin/members/n4")).hasMessageContaining("needs ?address=");
        assertThatThrownBy(() -> parse("POST", "/admin/members/n4?address=nowhere")).hasMessageContaining("bad address");
        assertThatThrownBy(() -> parse("DELETE", "/admin/members/a%2Fb")).hasMessageContaining("is not a node id");
        assertThatThrownBy(() -> parse("GET", "/admin/members/n4")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> parse("GET", "/admin/leader")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> parse("POST", "/admin/members/n4/promote?now=1")).hasMessageContaining("unknown parameter");
        assertThatThrownBy(() -> parse("GET", "/admin/other")).hasMessageContaining("unknown path");
    }

    @Test
    void readsEachConsistencyCaseInsensitively() throws InvalidRequestException {
        assertThat(((KvRequest.Get) parse("GET", "/kv/a?consistency=linearizable")).consistency())
                .isEqualTo(ReadConsistency.LINEARIZABLE);
        assertThat(((KvRequest.Get) parse("GET", "/kv/a?consistency=lease")).consistency())
                .isEqualTo(ReadConsistency.LEASE);
        assertThat(((KvRequest.Get) parse("GET", "/kv/a?consistency=STALE")).consistency())
                .isEqualTo(ReadConsistency.STALE);
    }

    @Test
    void decodesKeysToBytesKeepingPlusAndSlash() throws InvalidRequestException {
        assertThat(((KvRequest.Get) parse("GET", "/kv/a%20b+c/d")).key())
                .isEqualTo("a b+c/d".getBytes(StandardCharsets.UTF_8));
        assertThat(((KvRequest.Get) parse("GET", "/kv/%00%FF")).key()).containsExactly(0, 0xFF);
        assertThat(((KvRequest.Get) parse("GET", "/kv/%C3%A9")).key())
                .isEqualTo("é".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEmptyExpectIsAllowedButAMissingOneIsNot() throws InvalidRequestException {
        assertThat(((KvRequest.CompareAndSet) parse("POST", "/kv/a?expect=")).expect()).isEmpty();
        assertThat(((KvRequest.CompareAndSet) parse("POST", "/kv/a?expect")).expect()).isEmpty();
        assertStatus(() -> parse("POST", "/kv/a"), 400, "needs ?expect=");
    }

    @Test
    void malformedRequestsAre400() {
        assertStatus(() -> parse("GET", "/kv/"), 400, "empty key");
        assertStatus(() -> parse("GET", "/kv/" + "k".repeat(17)), 400, "longer than the limit of 16");
        assertStatus(() -> parse("GET", "/kv/%4"), 400, "bad key");
        assertStatus(() -> parse("GET", "/kv/%zz"), 400, "bad key");
        assertStatus(() -> parse("GET", "/kv/a?consistency=eventual"), 400, "unknown consistency 'eventual'");
        assertStatus(() -> parse("GET", "/kv/a?consistancy=stale"), 400, "unknown parameter 'consistancy'");
        assertStatus(() -> parse("GET", "/kv/a?consistency=stale&consistency=lease"), 400, "given twice");
        assertStatus(() -> parse("PUT", "/kv/a?expect=x"), 400, "unknown parameter 'expect'");
        assertStatus(() -> parse("GET", "/"), 400, "unknown path");
        assertStatus(() -> parse("GET", "/kv"), 400, "unknown path");
        assertStatus(() -> parse("GET", "/keys/a"), 400, "unknown path");
        assertStatus(() -> parse("GET", "/status?verbose=1"), 400, "unknown parameter");
    }

    @Test
    void routesTheSessionRequests() throws InvalidRequestException {
        assertThat(parse("POST", "/sessions")).isEqualTo(new KvRequest.OpenSession());
        assertThat(parse("DELETE", "/sessions/42")).isEqualTo(new KvRequest.CloseSession(42));
        assertStatus(() -> parse("GET", "/sessions"), 405, "use POST");
        assertStatus(() -> parse("PUT", "/sessions/42"), 405, "use DELETE");
        assertStatus(() -> parse("DELETE", "/sessions/"), 400, "is not a session id");
        assertStatus(() -> parse("DELETE", "/sessions/0"), 400, "'0' is not a session id");
        assertStatus(() -> parse("DELETE", "/sessions/4x"), 400, "'4x' is not a session id");
        assertStatus(() -> parse("DELETE", "/sessions/99999999999999999999"), 400, "is not a session id");
        assertStatus(() -> parse("POST", "/sessions?ttl=5"), 400, "unknown parameter 'ttl'");
    }

    @Test
    void aWriteWithSessionHeadersIsASessionWrite() throws InvalidRequestException {
        assertThat(parse("PUT", "/kv/a", "Raft-Session", "7", "Raft-Sequence", "3"))
                .isInstanceOfSatisfying(KvRequest.SessionWrite.class, w -> {
                    assertThat(w.write()).isInstanceOfSatisfying(KvRequest.Put.class,
                            p -> assertThat(p.value()).isEqualTo(BODY));
                    assertThat(w.session()).isEqualTo(7);
                    assertThat(w.sequence()).isEqualTo(3);
                    assertThat(w.ackedBelow()).as("default: every earlier answer is held").isEqualTo(3);
                });
        assertThat(parse("POST", "/kv/a?expect=x", "raft-session", " 7 ", "RAFT-SEQUENCE", "3", "Raft-Acked-Below", "1"))
                .isInstanceOfSatisfying(KvRequest.SessionWrite.class, w -> {
                    assertThat(w.write()).isInstanceOf(KvRequest.CompareAndSet.class);
                    assertThat(w.ackedBelow()).isEqualTo(1);
                });
        assertThat(parse("DELETE", "/kv/a", "Raft-Session", "7", "Raft-Sequence", "1", "Raft-Acked-Below", "1"))
                .isInstanceOfSatisfying(KvRequest.SessionWrite.class, w -> {
                    assertThat(w.write()).isInstanceOf(KvRequest.Delete.class);
                    assertThat(List.of(w.session(), w.sequence(), w.ackedBelow())).containsExactly(7L, 1L, 1L);
                });
        assertThat(parse("PUT", "/kv/a", "X-Other", "1")).as("no session headers: a plain write")
                .isInstanceOf(KvRequest.Put.class);
    }

    @Test
    void malformedSessionHeadersAre400NamingTheHeader() {
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Session", "7"), 400, "Raft-Session needs Raft-Sequence");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Sequence", "1"), 400, "Raft-Sequence needs Raft-Session");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Acked-Below", "1"), 400,
                "Raft-Acked-Below needs Raft-Session and Raft-Sequence");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Session", "seven", "Raft-Sequence", "1"), 400,
                "header Raft-Session must be a whole number, got 'seven'");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Session", "0", "Raft-Sequence", "1"), 400,
                "Raft-Session must be at least 1");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Session", "7", "Raft-Sequence", "0"), 400,
                "Raft-Sequence must be at least 1");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Session", "7", "Raft-Sequence", "-2"), 400,
                "header Raft-Sequence must be a whole number, got '-2'");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Session", "7", "Raft-Sequence", "9223372036854775808"), 400,
                "header Raft-Sequence must be a whole number");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Session", "7", "Raft-Sequence", "2", "Raft-Acked-Below", "3"),
                400, "Raft-Acked-Below must be from 1 to Raft-Sequence (2), got 3");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Session", "7", "Raft-Sequence", "2", "Raft-Acked-Below", "0"),
                400, "Raft-Acked-Below must be from 1 to Raft-Sequence (2), got 0");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Session", "7", "Raft-Session", "8", "Raft-Sequence", "1"),
                400, "header Raft-Session is given 2 times");
        assertStatus(() -> parse("PUT", "/kv/a", "Raft-Session", "x".repeat(100), "Raft-Sequence", "1"), 400,
                "got '" + "x".repeat(40) + "...'");
    }

    @Test
    void sessionHeadersOnAnythingButAWriteAre400() {
        for (String[] request : new String[][] {{"GET", "/kv/a"}, {"GET", "/status"}, {"GET", "/metrics"},
                {"POST", "/sessions"}, {"DELETE", "/sessions/7"}, {"POST", "/admin/leader"}}) {
            assertStatus(() -> parse(request[0], request[1], "Raft-Session", "7", "Raft-Sequence", "1"), 400,
                    "header Raft-Session applies to writes only");
            assertStatus(() -> parse(request[0], request[1], "Raft-Acked-Below", "1"), 400,
                    "header Raft-Acked-Below applies to writes only");
        }
    }

    @Test
    void unknownMethodsAre405WithTheAllowedOnes() {
        assertStatus(() -> parse("PATCH", "/kv/a"), 405, "PATCH");
        assertStatus(() -> parse("POST", "/status"), 405, "use GET");
        try {
            parse("HEAD", "/kv/a");
        } catch (InvalidRequestException e) {
            assertThat(e.allow()).isEqualTo("GET, PUT, DELETE, POST");
            assertThat(e.toResponse().allow()).isEqualTo("GET, PUT, DELETE, POST");
        }
    }
}
