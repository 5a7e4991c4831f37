package io.raftkit.examples.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import jdk.jfr.Recording;

/**
 * A JFR recording of exactly the measured window whose start-up cost falls before it. Starting JFR in
 * the window put its start-up there: JFR's threads and buffers, and the JIT compiling JFR's code and the
 * code paths its events switch on (raft-core's stage tracing runs only while a recording takes its
 * event). At 128 in flight after a 15 s warm-up, the compiler then took 45% of the window's CPU. So an
 * identical recording, the primer, runs through the warm-up and is discarded once the window's own
 * recording has started: with the same settings enabled throughout, the switch changes nothing the
 * code sees.
 */
final class PrimedRecording {

    private final Supplier<Recording> settings;
    private Recording primer;
    private Recording recording;

    /** {@code settings} makes a new, not yet started recording with the events to take. */
    PrimedRecording(Supplier<Recording> settings) {
        this.settings = settings;
    }

    /** The warm-up starts: so does the primer. */
    void prime() {
        primer = settings.get();
        primer.start();
    }

    /** The window opens: its recording starts, then the primer (if any) is discarded. */
    void start() {
        recording = settings.get();
        recording.start();
        if (primer != null) {
            primer.close();
            primer = null;
        }
    }

    /** The window has closed: the recording stops and is written to {@code file}. */
    void stopAndDump(Path file) {
        try {
            recording.stop();
            recording.dump(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            recording.close();
        }
    }
}
