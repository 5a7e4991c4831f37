package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writes a process test saw answered 200 (key to value), and the check its end makes: every one of
 * them reads back, linearizably, from every node.
 */
final class AcknowledgedWrites {

    private final KvHttpClient client = new KvHttpClient();
    private final Map<String, String> urls;
    private final Duration await;
    private final Map<String, String> acknowledged = new LinkedHashMap<>();

    /** @param urls each node's HTTP base URL, by id */
    AcknowledgedWrites(Map<String, String> urls, Duration await) {
        this.urls = urls;
        this.await = await;
    }

    /**
     * PUTs through node {@code id} until a 200, which is what makes the write acknowledged. Retrying is
     * safe: the same value written twice is the same state.
     */
    void putUntilAcknowledged(String id, String key, String value) {
        Await.until("PUT " + key + " through " + id + " answered 200", await,
                () -> client.put(urls.get(id), key, value).status() == 200);
        acknowledged.put(key, value);
    }

    /** A write answered 200 some other way (a request sent asynchronously). */
    void add(String key, String value) {
        acknowledged.put(key, value);
    }

    int size() {
        return acknowledged.size();
    }

    /** Every acknowledged write reads back from every node, linearizably (a 503 or 504 is asked again). */
    void assertEveryOneReadsBackFromEveryNode() {
        for (Map.Entry<String, String> node : urls.entrySet()) {
            for (Map.Entry<String, String> w : acknowledged.entrySet()) {
                KvHttpClient.Reply[] reply = new KvHttpClient.Reply[1];
                Await.until("a linearizable read of " + w.getKey() + " on " + node.getKey(), await, () -> {
                    reply[0] = client.get(node.getValue(), w.getKey(), "linearizable");
                    return reply[0].status() != 503 && reply[0].status() != 504;
                });
                assertThat(reply[0].status()).as("%s on %s", w.getKey(), node.getKey()).isEqualTo(200);
                assertThat(reply[0].text()).as("%s on %s", w.getKey(), node.getKey()).isEqualTo(w.getValue());
            }
        }
    }
}
