package io.raftkit.core.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InflightsTest {

    @Test
    void theWindowIsBoundedByCount() {
        Inflights in = new Inflights(3, 1_000);
        in.add(1, 10);
        in.add(2, 10);
        assertThat(in.full()).isFalse();
        in.add(5, 10);
        assertThat(in.full()).isTrue();
        assertThatThrownBy(() -> in.add(6, 10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theWindowIsBoundedByBytes() {
        Inflights in = new Inflights(100, 25);
        in.add(1, 10);
        in.add(2, 10);
        assertThat(in.full()).isFalse();
        in.add(3, 10);
        assertThat(in.full()).isTrue();
        assertThat(in.bytes()).isEqualTo(30);
    }

    @Test
    void acknowledgementsFreeEverythingAtOrBelowTheIndex() {
        Inflights in = new Inflights(10, 1_000);
        for (int i = 1; i <= 10; i++) {
            in.add(i * 10, 1);
        }
        in.freeLE(35);
        assertThat(in.count()).isEqualTo(7);
        in.freeLE(35);
        assertThat(in.count()).isEqualTo(7);
        in.freeFirst();
        assertThat(in.count()).isEqualTo(6);
        in.add(200, 1);
        in.add(210, 1);
        in.add(220, 1);
        assertThat(in.full()).isFalse();
        in.freeLE(1_000);
        assertThat(in.count()).isZero();
        assertThat(in.bytes()).isZero();
    }

    @Test
    void indexesMustIncrease() {
        Inflights in = new Inflights(10, 1_000);
        in.add(5, 1);
        assertThatThrownBy(() -> in.add(5, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theRingWrapsAroundWithoutLosingOrder() {
        Inflights in = new Inflights(4, 1_000);
        long next = 1;
        long acked = 0;
        for (int round = 0; round < 50; round++) {
            while (!in.full()) {
                in.add(next++, 1);
            }
            acked += 2;
            in.freeLE(acked);
            assertThat(in.count()).isEqualTo((int) (next - 1 - acked));
        }
    }
}
