package io.raftkit.core.sim;

import io.raftkit.core.RaftCore;
import io.raftkit.core.Ready;
import io.raftkit.core.memory.InMemoryLogStorage;

/**
 * For step-by-step regression schedules: takes a core's next Ready and makes its writes durable at
 * once (entries, then hard state), reporting them to the core, as a driver with an instant disk would.
 */
final class SynchronousDisk {

    private SynchronousDisk() {}

    /** Takes {@code core}'s next Ready, persists it on {@code disk} and returns it for its messages. */
    static Ready persistNext(RaftCore core, InMemoryLogStorage disk) {
        Ready r = core.ready();
        disk.append(r.entries());
        if (r.hardState() != null) {
            disk.saveHardState(r.hardState());
        }
        if (r.lastEntry() != null) {
            core.persisted(r.lastEntry().index(), r.lastEntry().term());
        }
        return r;
    }
}
