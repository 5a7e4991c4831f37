package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkit.node.ReadConsistency;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private final RequestParser parser = new RequestParser(16);
    private static final byte[] BODY = "body".getBytes(StandardCharsets.UTF_8);

    private KvRequest parse(String method, String target) throws InvalidRequestException {
        return parser.parse(method, target, BODY);
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
