package io.raftkit.examples.kvstore;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The headers that send a write in a client session, so that retrying it cannot apply it twice:
 * <pre>
 *   Raft-Session: 17        the id POST /sessions answered
 *   Raft-Sequence: 4        the write's number in the session: 1, 2, 3, ..., the same on every retry
 *   Raft-Acked-Below: 3     optional: the client holds the answers to every write numbered below this
 *                           (default: the sequence number itself, i.e. it holds every earlier answer)
 * </pre>
 * Either both {@code Raft-Session} and {@code Raft-Sequence} or neither: a write with only one of them would
 * otherwise go through unprotected while its client believes it safe to retry. For the same reason the
 * headers are refused on requests that are not writes rather than ignored.
 */
final class SessionHeaders {

    static final String SESSION = "Raft-Session";
    static final String SEQUENCE = "Raft-Sequence";
    static final String ACKED_BELOW = "Raft-Acked-Below";

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");
    private static final int MAX_SHOWN = 40;

    private SessionHeaders() {}

    /**
     * {@code write} in its session when the headers name one, else {@code write} itself.
     *
     * @throws InvalidRequestException a 400 naming the header that is missing, repeated or out of range
     */
    static KvRequest forWrite(KvRequest.Write write, RequestParser.Headers headers) throws InvalidRequestException {
        Long session = number(headers, SESSION);
        Long sequence = number(headers, SEQUENCE);
        Long ackedBelow = number(headers, ACKED_BELOW);
        if (session == null && sequence == null) {
            if (ackedBelow != null) {
                throw InvalidRequestException.badRequest("header " + ACKED_BELOW + " needs " + SESSION + " and "
                        + SEQUENCE + ": it only means something for a write in a session");
            }
            return write;
        }
        if (session == null) {
            throw InvalidRequestException.badRequest("header " + SEQUENCE + " needs " + SESSION
                    + " too: the session id POST /sessions answered");
        }
        if (sequence == null) {
            throw InvalidRequestException.badRequest("header " + SESSION + " needs " + SEQUENCE
                    + " too: the write's number in the session (1, 2, 3, ..., the same on every retry)");
        }
        if (session < 1) {
            throw InvalidRequestException.badRequest("header " + SESSION + " must be at least 1 (the id POST /sessions"
                    + " answered), got " + session);
        }
        if (sequence < 1) {
            throw InvalidRequestException.badRequest("header " + SEQUENCE + " must be at least 1: a session's writes"
                    + " are numbered 1, 2, 3, ...");
        }
        long acked = ackedBelow == null ? sequence : ackedBelow;
        if (acked < 1 || acked > sequence) {
            throw InvalidRequestException.badRequest("header " + ACKED_BELOW + " must be from 1 to " + SEQUENCE
                    + " (" + sequence + "), got " + acked + ": the client cannot hold the answer to a write it has"
                    + " not sent yet");
        }
        return new KvRequest.SessionWrite(write, session, sequence, acked);
    }

    /** Refuses session headers on a request that is not a write: ignored, they would promise what they cannot. */
    static void requireNone(RequestParser.Headers headers) throws InvalidRequestException {
        for (String name : List.of(SESSION, SEQUENCE, ACKED_BELOW)) {
            if (!headers.all(name).isEmpty()) {
                throw InvalidRequestException.badRequest("header " + name
                        + " applies to writes only (PUT, DELETE and POST /kv/{key}); leave it off this request");
            }
        }
    }

    /** A session id in a path ({@code /sessions/{id}}). */
    static long pathId(String text) throws InvalidRequestException {
        Long id = wholeNumber(text);
        if (id == null || id < 1) {
            throw InvalidRequestException.badRequest("'" + shown(text) + "' is not a session id: use the number"
                    + " POST /sessions answered");
        }
        return id;
    }

    private static Long number(RequestParser.Headers headers, String name) throws InvalidRequestException {
        List<String> values = headers.all(name);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw InvalidRequestException.badRequest("header " + name + " is given " + values.size()
                    + " times; give it once");
        }
        String text = values.get(0).strip();
        Long n = wholeNumber(text);
        if (n == null) {
            throw InvalidRequestException.badRequest("header " + name + " must be a whole number, got '"
                    + shown(text) + "'");
        }
        return n;
    }

    /** The value of a string of decimal digits, or null when it is none or over {@link Long#MAX_VALUE}. */
    private static Long wholeNumber(String text) {
        if (!DIGITS.matcher(text).matches()) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    private static String shown(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }
}
