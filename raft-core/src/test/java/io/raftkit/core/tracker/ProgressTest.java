package io.raftkit.core.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void aProbeSendsOneAppendAndWaitsForItsAnswer() {
        Progress p = new Progress(10, 8, 1 << 20);
        assertThat(p.state()).isEqualTo(ProgressState.PROBE);
        assertThat(p.isPaused()).isFalse();
        p.sentAppend(12, 3, 100);
        assertThat(p.isPaused()).isTrue();
        p.heartbeatAnswered();
        assertThat(p.isPaused()).isFalse();
    }

    @Test
    void anAcknowledgementMovesMatchAndNextForwardOnly() {
        Progress p = new Progress(10, 8, 1 << 20);
        assertThat(p.maybeUpdate(7)).isTrue();
        assertThat(p.match()).isEqualTo(7);
        assertThat(p.next()).isEqualTo(10);
        assertThat(p.maybeUpdate(5)).isFalse();
        assertThat(p.match()).isEqualTo(7);
    }

    @Test
    void replicatingPipelinesUntilTheWindowIsFull() {
        Progress p = new Progress(1, 2, 1 << 20);
        p.maybeUpdate(0);
        p.becomeReplicate();
        p.sentAppend(5, 5, 100);
        assertThat(p.next()).isEqualTo(6);
        assertThat(p.isPaused()).isFalse();
        p.sentAppend(9, 4, 100);
        assertThat(p.isPaused()).isTrue();
        p.maybeUpdate(5);
        p.inflights().freeLE(5);
        assertThat(p.isPaused()).isFalse();
    }

    @Test
    void aRejectionInReplicateFallsBackToProbingFromTheHint() {
        Progress p = new Progress(1, 8, 1 << 20);
        p.maybeUpdate(3);
        p.becomeReplicate();
        p.sentAppend(10, 7, 100);
        assertThat(p.maybeDecreaseTo(2, 1)).as("stale: at or below match").isFalse();
        assertThat(p.maybeDecreaseTo(10, 6)).isTrue();
        assertThat(p.state()).isEqualTo(ProgressState.PROBE);
        assertThat(p.next()).isEqualTo(6);
        assertThat(p.inflights().count()).isZero();
    }

    @Test
    void aRejectionInProbeIsStaleUnlessItAnswersTheLastProbe() {
        Progress p = new Progress(11, 8, 1 << 20);
        p.sentAppend(11, 1, 10);
        assertThat(p.maybeDecreaseTo(8, 5)).isFalse();
        assertThat(p.maybeDecreaseTo(10, 4)).isTrue();
        assertThat(p.next()).isEqualTo(4);
        assertThat(p.isPaused()).isFalse();
    }

    @Test
    void aSnapshotPausesUntilItIsAcknowledgedAndProbingResumesAfterIt() {
        Progress p = new Progress(5, 8, 1 << 20);
        p.becomeSnapshot(100);
        assertThat(p.isPaused()).isTrue();
        p.becomeProbe();
        assertThat(p.next()).isEqualTo(101);
    }
}
