package io.raftkit.examples.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A JFR recording of exactly the measured window, with the JDK's {@code profile} settings (execution
 * samples every 10 ms per running thread, allocation samples throttled to 300/s, ...), dumped to one file
 * when the window closes. JFR's start-up falls in the warm-up ({@link PrimedRecording}); its running cost
 * (the sampling, the buffers) is in the window's cost figures: compare cost figures from runs without it.
 */
final class JfrWindow implements WindowProbe {

    private final Path file;
    private final PrimedRecording recording = new PrimedRecording(JfrWindow::profile);

    /** Will dump the recording to {@code file}. */
    JfrWindow(Path file) {
        this.file = file;
    }

    /** The file the recording is dumped to when the window closes. */
    Path file() {
        return file;
    }

    @Override
    public void warmupStarting() {
        recording.prime();
    }

    @Override
    public void opened() {
        recording.start();
    }

    @Override
    public void closed() {
        recording.stopAndDump(file);
    }

    private static Recording profile() {
        try {
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.setName("loadgen-window");
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException("the JDK's profile settings do not parse", e);
        }
    }
}
