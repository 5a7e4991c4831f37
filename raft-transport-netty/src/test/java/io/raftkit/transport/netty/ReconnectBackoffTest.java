package io.raftkit.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    private static final long SEED = 7L;
    private static final long MS = 1_000_000L;

    @Test
    void theCeilingDoublesPerFailureUpToTheMaximumAndTheDelayLiesInItsUpperHalf() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(50), Duration.ofSeconds(2));
        Random random = new Random(SEED);
        long[] ceilings = {50 * MS, 100 * MS, 200 * MS, 400 * MS, 800 * MS, 1600 * MS, 2000 * MS, 2000 * MS};
        for (int failures = 0; failures < ceilings.length; failures++) {
            for (int draw = 0; draw < 100; draw++) {
                assertThat(backoff.delayNanos(failures, random)).as("seed=%d failures=%d", SEED, failures)
                        .isBetween(ceilings[failures] / 2, ceilings[failures]);
            }
        }
        assertThat(backoff.delayNanos(Integer.MAX_VALUE, random)).isBetween(1000 * MS, 2000 * MS);
    }

    @Test
    void delaysAreSpreadNotInLockstep() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofMillis(50), Duration.ofSeconds(2));
        Random random = new Random(SEED);
        assertThat(IntStream.range(0, 20).mapToLong(i -> backoff.delayNanos(3, random)).distinct()
                .count()).as("seed=%d", SEED).isGreaterThan(10);
    }

    @Test
    void hugeDelaysDoNotOverflow() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofDays(1), Duration.ofDays(365 * 100));
        Random random = new Random(SEED);
        for (int failures = 0; failures < 100; failures++) {
            assertThat(backoff.delayNanos(failures, random)).isPositive()
                    .isLessThanOrEqualTo(Duration.ofDays(365 * 100).toNanos());
        }
    }
}
