package io.raftkit.storage;

import io.raftkit.core.LogStorage;
import io.raftkit.core.contract.LogStorageContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The unchanged raft-core contract, on small segments (so they roll) and a tiny cache (so reads hit files). */
class SegmentedLogContractTest extends LogStorageContractTest {

    @TempDir
    Path dir;

    static SegmentedLogOptions options() {
        return SegmentedLogOptions.defaults().withSegmentBytes(4096).withCacheBytes(256);
    }

    @Override
    protected LogStorage create() throws Exception {
        return SegmentedLog.open(dir, options());
    }

    @Override
    protected LogStorage reopen(LogStorage closed) throws Exception {
        return SegmentedLog.open(((SegmentedLog) closed).directory(), options());
    }
}
