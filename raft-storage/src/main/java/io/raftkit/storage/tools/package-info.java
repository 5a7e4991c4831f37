/** Command-line tools for log directories: {@link io.raftkit.storage.tools.WalDump}. */
package io.raftkit.storage.tools;
