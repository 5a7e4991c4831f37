package io.raftkit.storage.segment;

import io.raftkit.storage.CorruptLogException;
import io.raftkit.storage.fs.FileSystem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Naming and listing of segment files: {@code <first index, 20 decimal digits>-<segment id, 16 hex
 * digits>.seg}, so that a plain directory listing sorts them in log order.
 */
public final class SegmentFiles {

    public static final String SUFFIX = ".seg";
    private static final Pattern NAME = Pattern.compile("(\\d{20})-([0-9a-f]{16})\\.seg");

    private SegmentFiles() {}

    /** The file for a segment starting at {@code firstIndex} with id {@code segmentId}. */
    public static SegmentFile of(Path dir, long firstIndex, long segmentId) {
        String name = String.format("%020d-%016x%s", firstIndex, segmentId, SUFFIX);
        return new SegmentFile(dir.resolve(name), firstIndex, segmentId);
    }

    /**
     * The segment files in {@code dir}, sorted by first index.
     *
     * @throws CorruptLogException when a {@code .seg} file has a malformed name
     */
    public static List<SegmentFile> list(FileSystem fs, Path dir) throws IOException {
        List<SegmentFile> out = new ArrayList<>();
        for (Path p : fs.list(dir)) {
            String name = p.getFileName().toString();
            if (!name.endsWith(SUFFIX)) {
                continue;
            }
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new CorruptLogException(p, 0, "segment file name is not <20-digit first index>-<16-hex id>.seg");
            }
            out.add(new SegmentFile(p, Long.parseLong(m.group(1)), Long.parseUnsignedLong(m.group(2), 16)));
        }
        out.sort(Comparator.comparingLong(SegmentFile::firstIndex).thenComparingLong(SegmentFile::segmentId));
        return out;
    }
}
