package io.raftkit.core;

/** What a log entry carries. The numeric codes are stable: storage and wire formats use them. */
public enum EntryType {
    /** A command for the user's state machine. */
    COMMAND(1),
    /** The empty entry a leader appends when elected; it is never given to the state machine. */
    NOOP(2),
    /** A new group configuration, encoded by {@link Configuration#encode()}. */
    CONFIGURATION(3),
    /**
     * A client-session record (open, command, close) the node's runtime decodes: it keeps the session
     * table that answers a retried command without applying it again. The core replicates it as it does
     * a command.
     */
    SESSION(4);

    private final int code;

    EntryType(int code) {
        this.code = code;
    }

    /** The stable numeric code used by storage and wire formats. */
    public int code() {
        return code;
    }

    /**
     * The type with the given code.
     *
     * @throws IllegalArgumentException naming the code when it is unknown
     */
    public static EntryType fromCode(int code) {
        return switch (code) {
            case 1 -> COMMAND;
            case 2 -> NOOP;
            case 3 -> CONFIGURATION;
            case 4 -> SESSION;
            default -> throw new IllegalArgumentException("unknown entry type code " + code);
        };
    }
}
