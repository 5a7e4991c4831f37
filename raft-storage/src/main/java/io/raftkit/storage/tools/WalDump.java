package io.raftkit.storage.tools;

import io.raftkit.core.EntryType;
import io.raftkit.storage.CorruptLogException;
import io.raftkit.storage.SegmentedLogOptions;
import io.raftkit.storage.fs.FileSystem;
import io.raftkit.storage.fs.StorageFile;
import io.raftkit.storage.segment.SegmentFile;
import io.raftkit.storage.segment.SegmentFiles;
import io.raftkit.storage.segment.SegmentScanner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints the segments of a log directory and their records as JSON lines, without changing any file
 * (unlike opening the log, which cuts a torn tail). Usage: {@code WalDump <log dir> [--segments-only]}.
 * Exits with 1 when a segment is corrupt, 2 on bad usage.
 */
public final class WalDump {

    private WalDump() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--segments-only"))) {
            System.err.println("usage: WalDump <log dir> [--segments-only]");
            System.exit(2);
        }
        boolean ok = dump(Path.of(args[0]), args.length == 2, System.out);
        System.out.flush();
        if (!ok) {
            System.exit(1);
        }
    }

    /** Dumps {@code dir} to {@code out}; returns false when a segment is corrupt. */
    public static boolean dump(Path dir, boolean segmentsOnly, PrintStream out) throws IOException {
        FileSystem fs = FileSystem.nio();
        List<SegmentFile> segments = SegmentFiles.list(fs, dir);
        boolean ok = true;
        for (int i = 0; i < segments.size(); i++) {
            SegmentFile seg = segments.get(i);
            String name = seg.path().getFileName().toString();
            try (StorageFile file = fs.openReadOnly(seg.path())) {
                SegmentScanner.Result r = SegmentScanner.scan(file, seg, i == segments.size() - 1,
                        SegmentedLogOptions.MAX_RECORD_BYTES_LIMIT, (offset, term, index, type, length) -> {
                            if (!segmentsOnly) {
                                out.println("{\"record\":{\"segment\":\"" + name + "\",\"offset\":" + offset
                                        + ",\"index\":" + index + ",\"term\":" + term + ",\"type\":\""
                                        + EntryType.fromCode(type) + "\",\"length\":" + length + "}}");
                            }
                        });
                out.println("{\"segment\":{\"file\":\"" + name + "\",\"firstIndex\":" + seg.firstIndex()
                        + ",\"segmentId\":" + seg.segmentId() + ",\"bytes\":" + r.fileBytes() + ",\"validBytes\":"
                        + r.validBytes() + ",\"records\":" + r.records() + ",\"lastIndex\":" + r.lastIndex()
                        + ",\"status\":\"" + (r.torn() && !r.zeroFilledTail() && !r.recycledTail()
                                ? "torn tail: " + json(r.tornReason()) : "ok")
                        + "\"" + (r.zeroFilledTail() ? ",\"preallocatedBytes\":" + (r.fileBytes() - r.validBytes()) : "")
                        + (r.recycledTail() ? ",\"recycledBytes\":" + (r.fileBytes() - r.validBytes()) : "")
                        + "}}");
            } catch (CorruptLogException e) {
                ok = false;
                out.println("{\"segment\":{\"file\":\"" + name + "\",\"status\":\"corrupt\",\"offset\":" + e.offset()
                        + ",\"error\":\"" + json(e.getMessage()) + "\"}}");
            }
        }
        return ok;
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
