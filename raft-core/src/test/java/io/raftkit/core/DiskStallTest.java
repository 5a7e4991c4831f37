package io.raftkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A node whose disk the runtime reports stalled neither leads nor stands for election. */
class DiskStallTest {

    @Test
    void aLeaderWhoseDiskStallsStepsDownAndTheOthersElectALeader() {
        CoreCluster c = new CoreCluster(3);
        String leader = c.elect("n1");
        assertThat(leader).isEqualTo("n1");
        RaftCore n1 = c.core("n1");
        long term = n1.term();

        n1.diskStalled(true);
        assertThat(n1.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(n1.term()).as("stepping down raises no term").isEqualTo(term);
        // However long it waits, it does not campaign.
        for (int i = 0; i < 10 * n1.config.electionTicks(); i++) {
            n1.tick();
            c.processAll("n1");
        }
        assertThat(n1.role()).isEqualTo(RaftRole.FOLLOWER);
        assertThat(c.inFlight()).noneMatch(m -> m.from().equals("n1") && m instanceof io.raftkit.core.message.VoteRequest);

        // The healthy two elect one of themselves (once n3's promise to n1 has run out).
        c.passRestartLeases();
        String next = c.elect("n2");
        assertThat(next).isEqualTo("n2");
        assertThat(c.core("n2").term()).isGreaterThan(term);

        // Its disk answers again: it may stand for election once more.
        n1.diskStalled(false);
        assertThat(n1.diskStalled()).isFalse();
        c.core("n2").diskStalled(true);
        c.passRestartLeases();
        String third = c.elect("n1");
        assertThat(third).isEqualTo("n1");
    }
}
