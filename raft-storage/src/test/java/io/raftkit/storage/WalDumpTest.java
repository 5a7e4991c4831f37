package io.raftkit.storage;

import static io.raftkit.storage.TestEntries.await;
import static io.raftkit.storage.TestEntries.entries;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkit.storage.tools.WalDump;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalDumpTest {

    @TempDir
    Path dir;

    private List<String> dump() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WalDump.dump(dir, false, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void printsOneLinePerRecordAndPerSegment() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SegmentedLogOptions.defaults().withSegmentBytes(1024))) {
            await(log.append(entries(3, 1, 60)));
        }
        List<String> lines = dump();
        List<String> records = lines.stream().filter(l -> l.startsWith("{\"record\"")).toList();
        List<String> segments = lines.stream().filter(l -> l.startsWith("{\"segment\"")).toList();
        assertThat(records).hasSize(60);
        assertThat(records.get(0)).contains("\"index\":1,").contains("\"term\":3,").contains("\"type\":\"COMMAND\"")
                .contains("\"offset\":32,");
        assertThat(segments).hasSizeGreaterThan(1).allMatch(l -> l.contains("\"status\":\"ok\""));
    }

    @Test
    void reportsATornTailWithoutCuttingItAndACorruptSegment() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, SegmentedLogOptions.defaults())) {
            await(log.append(entries(1, 1, 5)));
        }
        Path seg;
        try (var s = Files.list(dir)) {
            seg = s.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        long size = Files.size(seg);
        Files.write(seg, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertThat(dump()).anyMatch(l -> l.contains("torn tail"));
        assertThat(Files.size(seg)).isEqualTo(size + 3);
        byte[] b = Files.readAllBytes(seg);
        b[40] ^= 1;
        Files.write(seg, b);
        assertThat(dump()).anyMatch(l -> l.contains("\"status\":\"corrupt\"") && l.contains("\"offset\":32"));
    }
}
