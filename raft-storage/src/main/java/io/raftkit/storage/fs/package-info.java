/**
 * The small file-system seam the storage is written against, so that tests can inject torn writes and
 * failing fsyncs. {@link io.raftkit.storage.fs.FileSystem#nio()} is the real one.
 */
package io.raftkit.storage.fs;
