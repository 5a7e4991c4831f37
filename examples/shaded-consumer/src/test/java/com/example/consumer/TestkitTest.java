package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftkit.core.StateMachine;
import io.raftkit.testkit.TestCluster;
import io.raftkit.testkit.check.Model;
import io.raftkit.testkit.check.StateMachineCheck;
import io.raftkit.testkit.sim.SimulatedClients;
import io.raftkit.testkit.sim.Simulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A project outside RaftKit's build tests its own state machine with raft-testkit, in a few lines. */
class TestkitTest {

    @Test
    void theServicesStateMachinePassesTheTestkitsChecks() {
        StateMachineCheck.of(SmokeTest.Log::new)
                .commands(200, 1, random -> ("x" + random.nextInt(10)).getBytes(StandardCharsets.UTF_8))
                .queries(List.of(new byte[0]))
                .assertPasses();
    }

    @Test
    void theServicesStateMachineReplicatesOnAnInMemoryCluster() throws Exception {
        try (TestCluster<SmokeTest.Log> cluster = TestCluster.builder(SmokeTest.Log::new).build()) {
            String leader = cluster.awaitLeader();
            cluster.node(leader).submit("a".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            cluster.isolate(leader);
            String next = cluster.awaitLeaderAmong(cluster.others(leader));
            cluster.node(next).submit("b".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
            assertEquals("ab", new String(cluster.node(next).query(new byte[0]).get(30, TimeUnit.SECONDS),
                    StandardCharsets.UTF_8));
        }
    }

    /** The service's other state machine: a register that keeps the last value written. */
    static final class Register implements StateMachine {
        private byte[] value = new byte[0];

        @Override
        public byte[] apply(long index, byte[] command) {
            byte[] previous = value;
            value = command;
            return previous;
        }

        @Override
        public byte[] query(byte[] query) {
            return value;
        }

        @Override
        public void writeSnapshot(OutputStream out) throws IOException {
            out.write(value);
        }

        @Override
        public void restoreSnapshot(InputStream in) throws IOException {
            value = in.readAllBytes();
        }
    }

    /** Writes numbered values ("w1", "w2", ...: each write distinct); "" reads. */
    static final class Writers implements SimulatedClients<String, String> {
        private int written;

        @Override
        public String next(SplittableRandom random) {
            return random.nextInt(3) == 0 ? "" : "w" + ++written;
        }

        @Override
        public boolean isQuery(String op) {
            return op.isEmpty();
        }

        @Override
        public byte[] encode(String op) {
            return op.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(String op, byte[] answer) {
            return new String(answer, StandardCharsets.UTF_8);
        }
    }

    @Test
    void theServicesStateMachineSurvivesSimulatedFaults() {
        // The last value written; a write returns the one before, a read the current one.
        Model<String, String, String> register = new Model<>() {
            @Override
            public String initial() {
                return "";
            }

            @Override
            public Step<String, String> step(String state, String op) {
                return op.isEmpty() ? new Step<>(state, state) : new Step<>(op, state);
            }
        };
        Simulator.of(Register::new, Writers::new, register).runSeeds(1, 20);
    }
}
