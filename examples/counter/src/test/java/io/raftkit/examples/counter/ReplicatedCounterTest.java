package io.raftkit.examples.counter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class ReplicatedCounterTest {

    @Test
    void theExampleCountsToTenOnThreeNodesAndReadsItBackFromAFollower() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            ReplicatedCounter.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString();
        assertThat(out).contains("after add #10: 10").contains("linearizable read on n3: 10");
    }
}
