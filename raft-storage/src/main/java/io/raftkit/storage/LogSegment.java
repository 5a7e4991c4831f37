package io.raftkit.storage;

import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.segment.SegmentFile;
import io.raftkit.storage.segment.SegmentReader;
import java.io.IOException;

/** The log's view of one segment: its file, how many bytes it holds (or will once written), a reader. */
final class LogSegment {

    final SegmentFile file;
    /** End of the last record placed in this segment, written or still queued. */
    long endOffset;
    private SegmentReader reader;

    LogSegment(SegmentFile file, long endOffset) {
        this.file = file;
        this.endOffset = endOffset;
    }

    long firstIndex() {
        return file.firstIndex();
    }

    SegmentReader reader(FileSystem fs) throws IOException {
        if (reader == null) {
            reader = SegmentReader.open(fs, file);
        }
        return reader;
    }

    void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // A read-only handle: nothing was written through it that could be lost.
            }
            reader = null;
        }
    }
}
