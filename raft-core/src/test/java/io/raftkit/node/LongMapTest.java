package io.raftkit.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LongMap agrees with a HashMap through random puts, gets and removes, growth and probe-run shifts. */
class LongMapTest {

    @Test
    void agreesWithAHashMapUnderRandomOperations() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            LongMap<String> map = new LongMap<>();
            Map<Long, String> model = new HashMap<>();
            int keySpace = 1 + random.nextInt(2000);
            for (int op = 0; op < 20_000; op++) {
                long key = random.nextBoolean() ? random.nextInt(keySpace) : random.nextInt(keySpace) * 1024L;
                switch (random.nextInt(3)) {
                    case 0 -> assertThat(map.put(key, "v" + op)).as("seed=%d put %d", seed, key)
                            .isEqualTo(model.put(key, "v" + op));
                    case 1 -> assertThat(map.remove(key)).as("seed=%d remove %d", seed, key).isEqualTo(model.remove(key));
                    default -> assertThat(map.get(key)).as("seed=%d get %d", seed, key).isEqualTo(model.get(key));
                }
                assertThat(map.size()).isEqualTo(model.size());
            }
            for (Map.Entry<Long, String> e : model.entrySet()) {
                assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
            }
            assertThat(map.values()).containsExactlyInAnyOrderElementsOf(model.values());
        }
    }

    @Test
    void removeKeysIfRemovesExactlyThoseAndReturnsTheirValues() {
        LongMap<String> map = new LongMap<>();
        for (long k = 1; k <= 100; k++) {
            map.put(k, "v" + k);
        }
        assertThat(map.removeKeysIf(k -> k <= 40)).hasSize(40).contains("v1", "v40").doesNotContain("v41");
        assertThat(map.size()).isEqualTo(60);
        assertThat(map.get(40)).isNull();
        assertThat(map.get(41)).isEqualTo("v41");
        map.clear();
        assertThat(map.isEmpty()).isTrue();
        assertThat(map.get(41)).isNull();
    }
}
