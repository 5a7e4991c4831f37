package io.raftkit.examples.kvstore;

import java.nio.charset.StandardCharsets;

/**
 * An HTTP answer, independent of the HTTP library.
 *
 * @param status the status code
 * @param contentType the body's media type
 * @param body the body
 * @param allow the {@code Allow} header (for 405), or null
 * @param location the {@code Location} header (for 201: what was created), or null
 */
public record KvResponse(int status, String contentType, byte[] body, String allow, String location) {

    static final String TEXT = "text/plain; charset=utf-8";
    static final String BINARY = "application/octet-stream";
    static final String JSON = "application/json";

    /** Without a {@code Location}. */
    public KvResponse(int status, String contentType, byte[] body, String allow) {
        this(status, contentType, body, allow, null);
    }

    /** A short human-readable body; a newline is added so curl output ends cleanly. */
    static KvResponse text(int status, String message) {
        return new KvResponse(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8), null);
    }

    static KvResponse value(byte[] value) {
        return new KvResponse(200, BINARY, value, null);
    }

    static KvResponse json(String json) {
        return new KvResponse(200, JSON, (json + "\n").getBytes(StandardCharsets.UTF_8), null);
    }

    KvResponse withAllow(String methods) {
        return new KvResponse(status, contentType, body, methods, location);
    }

    /** This answer as {@code 201 Created}, with the created resource's path as {@code Location}. */
    KvResponse created(String path) {
        return new KvResponse(201, contentType, body, allow, path);
    }
}
