package io.raftkit.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A storage file holds bytes that cannot be the result of an interrupted write: the log refuses to open
 * rather than drop entries. The message names the file and the byte offset of the damage.
 */
public class CorruptLogException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;
    private final String reason;

    public CorruptLogException(Path file, long offset, String reason) {
        super(file + " at byte " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    /** What is wrong at {@link #offset()}, without the file and offset the message starts with. */
    public String reason() {
        return reason;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte offset in {@link #file()} where the damage starts. */
    public long offset() {
        return offset;
    }
}
