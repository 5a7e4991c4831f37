package io.raftkit.examples.kvstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code /admin} routes and {@code --join} on a real three-node cluster in this JVM (segmented logs on
 * disk, Netty, HTTP): a fourth node joins, catches up by snapshot as a learner, is promoted, takes over
 * leadership and removes itself; bad requests are refused and change nothing.
 */
class KvMembershipTest {

    private static final Duration AWAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private InProcessCluster cluster;
    private final KvHttpClient client = new KvHttpClient();

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String leaderOf(List<String> ids) throws Exception {
        String[] leader = new String[1];
        Await.until("one leader known to " + ids, AWAIT, () -> {
            String seen = null;
            for (String id : ids) {
                String l = client.status(cluster.url(id)).leader();
                if (l == null || (seen != null && !seen.equals(l))) {
                    return false;
                }
                seen = l;
            }
            leader[0] = seen;
            return true;
        });
        return leader[0];
    }

    private KvHttpClient.Reply admin(String id, String method, String pathAndQuery) throws Exception {
        return client.send(cluster.url(id), method, pathAndQuery, null);
    }

    private String json(String id, String path) throws Exception {
        KvHttpClient.Reply r = admin(id, "GET", path);
        assertThat(r.status()).as("GET %s on %s: %s", path, id, r.text()).isEqualTo(200);
        return r.text();
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aJoiningNodeIsAddedPromotedLeadsAndLeaves() throws Exception {
        cluster = new InProcessCluster(dir, 5_000);
        cluster.startAll();
        List<String> founders = cluster.ids();
        String leader = leaderOf(founders);
        // More writes than SNAPSHOT_EVERY: the leader's log is compacted, so the newcomer needs a snapshot.
        for (int i = 0; i < 3 * InProcessCluster.SNAPSHOT_EVERY; i++) {
            assertThat(client.put(cluster.url(leader), "k" + i, "v" + i).status()).isEqualTo(200);
        }

        cluster.startJoining("n4", ServerArguments.DEFAULT_CLUSTER_ID);
        String joining = json("n4", "/status");
        assertThat(joining).contains("\"members\":{}", "\"voters\":[]", "\"leader\":null");

        String follower = founders.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        KvHttpClient.Reply added = admin(follower, "POST", "/admin/members/n4?address=" + cluster.raftAddress("n4"));
        assertThat(added.status()).as(added.text()).isEqualTo(200);
        assertThat(added.text()).contains("\"learners\":[\"n4\"]", "\"voters\":[\"n1\",\"n2\",\"n3\"]");

        Await.until("n4 has applied every write, from a snapshot", AWAIT, () -> {
            String s = json("n4", "/status");
            return number(s, "lastSnapshotIndex") > 0 && client.get(cluster.url("n4"), "k149", "stale").status() == 200;
        });
        assertThat(client.get(cluster.url("n4"), "k7", "stale").text()).isEqualTo("v7");
        assertThat(json(leader, "/admin/members")).contains("\"n4\":{\"address\":\"" + cluster.raftAddress("n4")
                + "\",\"role\":\"learner\"");

        KvHttpClient.Reply promoted = admin("n4", "POST", "/admin/members/n4/promote");
        assertThat(promoted.status()).as(promoted.text()).isEqualTo(200);
        assertThat(promoted.text()).contains("\"voters\":[\"n1\",\"n2\",\"n3\",\"n4\"]", "\"learners\":[]");

        KvHttpClient.Reply moved = admin(follower, "POST", "/admin/leader?to=n4");
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.text()).contains("\"leader\":\"n4\"");
        String status = json("n4", "/status");
        assertThat(status).contains("\"lag\":{\"n1\":");
        assertThat(client.put(cluster.url("n4"), "after-transfer", "yes").status()).isEqualTo(200);

        // The leader removes itself: it leads until the change commits, then the founders elect one.
        KvHttpClient.Reply removed = admin("n1", "DELETE", "/admin/members/n4");
        assertThat(removed.status()).as(removed.text()).isEqualTo(200);
        assertThat(removed.text()).contains("\"voters\":[\"n1\",\"n2\",\"n3\"]", "\"learners\":[]").doesNotContain("\"n4\":{");
        String next = leaderOf(founders);
        assertThat(next).isNotEqualTo("n4");
        assertThat(client.put(cluster.url(next), "after-removal", "yes").status()).isEqualTo(200);
        for (String id : founders) {
            assertThat(client.get(cluster.url(id), "after-transfer").text()).isEqualTo("yes");
        }
    }

    @Test
    void badChangesAreRefusedWithTheReasonAndChangeNothing() throws Exception {
        cluster = new InProcessCluster(dir, 5_000);
        cluster.startAll();
        String leader = leaderOf(cluster.ids());
        String before = json(leader, "/admin/members");

        List<KvHttpClient.Reply> replies = new ArrayList<>();
        replies.add(admin(leader, "DELETE", "/admin/members/n9"));
        replies.add(admin(leader, "POST", "/admin/members/n5?address=" + cluster.raftAddress("n2")));
        replies.add(admin(leader, "POST", "/admin/members/n2?address=127.0.0.1:1"));
        replies.add(admin(leader, "POST", "/admin/members/n1/promote"));
        replies.add(admin(leader, "POST", "/admin/leader?to=zz"));
        assertThat(replies).extracting(KvHttpClient.Reply::status).containsOnly(409);
        assertThat(replies.get(0).text()).contains("n9 is not a member");
        assertThat(replies.get(1).text()).contains("is already a member's");
        assertThat(replies.get(2).text()).contains("n2 is already a member");
        assertThat(replies.get(3).text()).contains("n1 is not a learner");
        assertThat(replies.get(4).text()).contains("zz is not a member");

        assertThat(admin(leader, "POST", "/admin/members/n5").status()).isEqualTo(400);
        assertThat(admin(leader, "POST", "/admin/members/n5?address=nowhere").status()).isEqualTo(400);
        assertThat(admin(leader, "POST", "/admin/members/bad%20id?address=127.0.0.1:1").status()).isEqualTo(400);
        assertThat(admin(leader, "PUT", "/admin/members/n5").status()).isEqualTo(405);
        assertThat(admin(leader, "POST", "/admin/leader?too=n2").status()).isEqualTo(400);

        assertThat(json(leader, "/admin/members")).isEqualTo(before);
    }

    @Test
    void aDataDirectoryOfAnotherGroupIsRefused() throws Exception {
        cluster = new InProcessCluster(dir, 5_000);
        ServerArguments n1 = cluster.arguments("n1");
        KvNode.start(n1).close();
        assertThatThrownBy(() -> KvNode.start(n1.joining("another-group")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to cluster kvstore, not another-group");
    }
}
