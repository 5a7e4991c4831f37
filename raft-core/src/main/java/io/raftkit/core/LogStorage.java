package io.raftkit.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The durable Raft log and the node's {@link HardState}.
 *
 * <h2>Reads</h2>
 * Reads are synchronous and cheap (served from memory or an in-memory index; they never scan files).
 * They reflect every write <em>accepted</em> so far, durable or not: after {@code append} returns, the
 * appended entries are readable at once, although their future may not have completed yet. Only the
 * node's single event-loop thread calls the read methods; writes may complete on another thread.
 *
 * <h2>Writes</h2>
 * Writes are asynchronous. Each returns a future that completes when the write is durable (survives a
 * crash of the process and of the machine, under the configured sync policy), or completes
 * exceptionally with an error naming the file and cause. Writes take effect and complete <em>in the
 * order they were submitted</em>: when a future completes, every earlier write is durable too. After a
 * write fails, the storage refuses further writes until it is reopened and recovered; a failed write is
 * never later reported as durable.
 *
 * <h2>Crashes</h2>
 * After a crash, reopening yields exactly a prefix of the submitted writes that includes every write
 * whose future completed normally. An append that overwrote a suffix may leave either the old suffix
 * or a prefix of the new entries; both are safe for Raft because neither was acknowledged.
 *
 * <p>Implementations: {@code io.raftkit.testkit.memory.InMemoryLogStorage} (tests and simulation) and
 * {@code io.raftkit.storage.SegmentedLog} in raft-storage. Every implementation passes the contract test
 * {@code io.raftkit.core.contract.LogStorageContractTest} from raft-core's test-jar.
 */
public interface LogStorage extends AutoCloseable {

    /**
     * The first index that {@link #entries} can return: 1 on a log that was never compacted, else the
     * compaction boundary's index + 1. When the log is empty, {@code firstIndex() == lastIndex() + 1}.
     */
    long firstIndex();

    /** The last index in the log, or the compaction boundary's index (0 if none) when the log is empty. */
    long lastIndex();

    /**
     * The term of the entry at {@code index}. For {@code index == firstIndex() - 1} this is the term of the
     * compaction boundary (0 at index 0).
     *
     * @throws IndexOutOfBoundsException when index is below {@code firstIndex() - 1} or above {@code lastIndex()}
     */
    long term(long index);

    /**
     * Entries in {@code [fromIndex, toIndexExclusive)}, stopping before the total
     * {@link Entry#sizeBytes()} would exceed {@code maxBytes}, but always returning at least one entry
     * when the range is not empty.
     *
     * @throws IndexOutOfBoundsException when the range is not within {@code [firstIndex(), lastIndex() + 1]}
     */
    List<Entry> entries(long fromIndex, long toIndexExclusive, long maxBytes);

    /** The last saved hard state ({@link HardState#EMPTY} on a new log). */
    HardState hardState();

    /** The compaction boundary: the snapshot the log was last compacted to ({@link SnapshotMeta#NONE} if never). */
    SnapshotMeta snapshotMeta();

    /**
     * Appends entries with consecutive indexes. The first entry's index must lie in
     * {@code [firstIndex(), lastIndex() + 1]}; existing entries at and after it are replaced (a follower
     * dropping a conflicting suffix). An empty list is a no-op whose future completes once every earlier
     * write is durable (a barrier).
     *
     * @throws IllegalArgumentException at once (not through the future) when the entries are not
     *     consecutive or do not start in the allowed range
     */
    CompletableFuture<Void> append(List<Entry> entries);

    /**
     * Removes every entry with index {@code >= fromIndex}.
     *
     * @throws IllegalArgumentException at once when {@code fromIndex} is not in
     *     {@code [firstIndex(), lastIndex() + 1]}
     */
    CompletableFuture<Void> truncateSuffix(long fromIndex);

    /**
     * Compacts the log up to a snapshot. If the log holds an entry at {@code snapshot.index()} with
     * {@code snapshot.term()}, the entries after it are kept and the ones up to it become unreadable;
     * otherwise the whole log is discarded (Raft's rule for installing a snapshot). Afterwards
     * {@code firstIndex() == snapshot.index() + 1}, {@code term(snapshot.index()) == snapshot.term()} and
     * {@link #snapshotMeta()} returns {@code snapshot}, also after a reopen. A snapshot at or below the
     * current boundary is a no-op.
     */
    CompletableFuture<Void> compact(SnapshotMeta snapshot);

    /** Saves the hard state atomically: after a crash either the old or the new value is read back. */
    CompletableFuture<Void> saveHardState(HardState state);

    /** Releases files and threads. Writes not yet durable may be lost; their futures fail. */
    @Override
    void close();
}
