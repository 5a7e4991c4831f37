package io.raftkit.examples.kvstore;

/** The command line is wrong; the message says how, and the usage text says how it should look. */
public final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
