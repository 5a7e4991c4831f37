package io.raftkit.examples.kvstore;

/** A request that cannot be served as sent: 400 (malformed) or 405 (method not allowed on the path). */
final class InvalidRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String allow;

    private InvalidRequestException(int status, String message, String allow) {
        super(message);
        this.status = status;
        this.allow = allow;
    }

    static InvalidRequestException badRequest(String message) {
        return new InvalidRequestException(400, message, null);
    }

    static InvalidRequestException methodNotAllowed(String method, String path, String allow) {
        return new InvalidRequestException(405, "method " + method + " is not allowed on " + path + "; use " + allow,
                allow);
    }

    int status() {
        return status;
    }

    /** The methods the path accepts (the {@code Allow} header of a 405), or null. */
    String allow() {
        return allow;
    }

    KvResponse toResponse() {
        KvResponse r = KvResponse.text(status, getMessage());
        return allow == null ? r : r.withAllow(allow);
    }
}
