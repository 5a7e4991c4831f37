package io.raftkit.storage.segment;

import java.nio.file.Path;

/**
 * A segment file as named in the directory.
 *
 * @param path where it lives
 * @param firstIndex the first index encoded in its name
 * @param segmentId the segment id encoded in its name
 */
public record SegmentFile(Path path, long firstIndex, long segmentId) {

    @Override
    public String toString() {
        return path.getFileName().toString();
    }
}
