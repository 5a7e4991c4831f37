package io.raftkit.examples.kvstore;

import io.raftkit.node.ReadConsistency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an HTTP method, request target and body into a {@link KvRequest}, or says why it cannot.
 *
 * <p>Routes: {@code GET|PUT|DELETE|POST /kv/{key}}, {@code GET /status}, {@code GET /metrics}, client
 * sessions ({@code POST /sessions}, {@code DELETE /sessions/{id}}) and the group's administration:
 * {@code GET /admin/members}, {@code POST /admin/members/{id}?address=HOST:PORT},
 * {@code POST /admin/members/{id}/promote}, {@code DELETE /admin/members/{id}} and
 * {@code POST /admin/leader[?to={id}]}. The key is everything after
 * {@code /kv/}, percent-decoded to bytes ({@code +} stays a plus in a path). Query parameters are
 * form-decoded ({@code +} is a space); an unknown or repeated parameter is an error rather than being
 * ignored, so a typo such as {@code ?consistancy=stale} does not silently change the meaning. A write may
 * carry the session headers of {@link SessionHeaders}; any other request carrying them is refused alike.
 */
final class RequestParser {

    static final String KV_PREFIX = "/kv/";
    static final String STATUS_PATH = "/status";
    static final String METRICS_PATH = "/metrics";
    static final String KV_METHODS = "GET, PUT, DELETE, POST";
    static final String MEMBERS_PATH = "/admin/members";
    static final String LEADER_PATH = "/admin/leader";
    static final String SESSIONS_PATH = "/sessions";
    private static final Pattern MEMBER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** A request's headers: every value of a header, by case-insensitive name (empty when absent). */
    @FunctionalInterface
    interface Headers {
        Headers NONE = name -> List.of();

        List<String> all(String name);
    }

    private final int maxKeyBytes;

    RequestParser(int maxKeyBytes) {
        this.maxKeyBytes = maxKeyBytes;
    }

    /** A request without headers that matter. @throws InvalidRequestException a 400 or 405 with the reason */
    KvRequest parse(String method, String target, byte[] body) throws InvalidRequestException {
        return parse(method, target, Headers.NONE, body);
    }

    /** @throws InvalidRequestException a 400 or 405 with the reason */
    KvRequest parse(String method, String target, Headers headers, byte[] body) throws InvalidRequestException {
        KvRequest request = route(method, target, body);
        if (request instanceof KvRequest.Write write) {
            return SessionHeaders.forWrite(write, headers);
        }
        SessionHeaders.requireNone(headers);
        return request;
    }

    private KvRequest route(String method, String target, byte[] body) throws InvalidRequestException {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, byte[]> params = parameters(q < 0 ? "" : target.substring(q + 1));
        if (path.equals(METRICS_PATH)) {
            if (!method.equals("GET")) {
                throw InvalidRequestException.methodNotAllowed(method, path, "GET");
            }
            allowOnly(params, Set.of());
            return new KvRequest.Metrics();
        }
        if (path.equals(STATUS_PATH)) {
            if (!method.equals("GET")) {
                throw InvalidRequestException.methodNotAllowed(method, path, "GET");
            }
            allowOnly(params, Set.of());
            return new KvRequest.Status();
        }
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            return admin(method, path, params);
        }
        if (path.equals(SESSIONS_PATH) || path.startsWith(SESSIONS_PATH + "/")) {
            return session(method, path, params);
        }
        if (!path.startsWith(KV_PREFIX)) {
            throw InvalidRequestException.badRequest("unknown path '" + path
                    + "'; use /kv/{key}, /sessions, /status, /metrics, /admin/members or /admin/leader");
        }
        byte[] key = key(path.substring(KV_PREFIX.length()));
        switch (method) {
            case "GET" -> {
                allowOnly(params, Set.of("consistency"));
                return new KvRequest.Get(key, consistency(params.get("consistency")));
            }
            case "PUT" -> {
                allowOnly(params, Set.of());
                return new KvRequest.Put(key, body);
            }
            case "DELETE" -> {
                allowOnly(params, Set.of());
                return new KvRequest.Delete(key);
            }
            case "POST" -> {
                allowOnly(params, Set.of("expect"));
                byte[] expect = params.get("expect");
                if (expect == null) {
                    throw InvalidRequestException.badRequest(
                            "POST is compare-and-set and needs ?expect=OLD (empty to require the key to be absent)");
                }
                return new KvRequest.CompareAndSet(key, expect, body);
            }
            default -> throw InvalidRequestException.methodNotAllowed(method, "/kv/{key}", KV_METHODS);
        }
    }

    private static KvRequest session(String method, String path, Map<String, byte[]> params)
            throws InvalidRequestException {
        if (path.equals(SESSIONS_PATH)) {
            if (!method.equals("POST")) {
                throw InvalidRequestException.methodNotAllowed(method, path, "POST");
            }
            allowOnly(params, Set.of());
            return new KvRequest.OpenSession();
        }
        long id = SessionHeaders.pathId(path.substring(SESSIONS_PATH.length() + 1));
        if (!method.equals("DELETE")) {
            throw InvalidRequestException.methodNotAllowed(method, SESSIONS_PATH + "/{id}", "DELETE");
        }
        allowOnly(params, Set.of());
        return new KvRequest.CloseSession(id);
    }

    private static KvRequest admin(String method, String path, Map<String, byte[]> params)
            throws InvalidRequestException {
        if (path.equals(LEADER_PATH)) {
            if (!method.equals("POST")) {
                throw InvalidRequestException.methodNotAllowed(method, path, "POST");
            }
            allowOnly(params, Set.of("to"));
            byte[] to = params.get("to");
            return new KvRequest.TransferLeader(to == null || to.length == 0 ? null : memberId(text(to)));
        }
        if (path.equals(MEMBERS_PATH)) {
            if (!method.equals("GET")) {
                throw InvalidRequestException.methodNotAllowed(method, path, "GET");
            }
            allowOnly(params, Set.of());
            return new KvRequest.Members();
        }
        if (!path.startsWith(MEMBERS_PATH + "/")) {
            throw InvalidRequestException.badRequest("unknown path '" + path + "'; use " + MEMBERS_PATH + ", "
                    + MEMBERS_PATH + "/{id}, " + MEMBERS_PATH + "/{id}/promote or " + LEADER_PATH);
        }
        String rest = path.substring(MEMBERS_PATH.length() + 1);
        if (rest.endsWith("/promote")) {
            String member = memberId(decodedSegment(rest.substring(0, rest.length() - "/promote".length())));
            if (!method.equals("POST")) {
                throw InvalidRequestException.methodNotAllowed(method, MEMBERS_PATH + "/{id}/promote", "POST");
            }
            allowOnly(params, Set.of());
            return new KvRequest.Promote(member);
        }
        String member = memberId(decodedSegment(rest));
        switch (method) {
            case "POST" -> {
                allowOnly(params, Set.of("address"));
                byte[] address = params.get("address");
                if (address == null || address.length == 0) {
                    throw InvalidRequestException.badRequest("adding " + member
                            + " needs ?address=HOST:PORT, the Raft address it listens on");
                }
                try {
                    return new KvRequest.AddLearner(member, HostPort.parse(text(address).trim()).toString());
                } catch (IllegalArgumentException e) {
                    throw InvalidRequestException.badRequest("bad address: " + e.getMessage());
                }
            }
            case "DELETE" -> {
                allowOnly(params, Set.of());
                return new KvRequest.RemoveMember(member);
            }
            default -> throw InvalidRequestException.methodNotAllowed(method, MEMBERS_PATH + "/{id}", "POST, DELETE");
        }
    }

    private static String decodedSegment(String encoded) throws InvalidRequestException {
        try {
            return text(PercentDecoding.decode(encoded, false));
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.badRequest("bad member id: " + e.getMessage());
        }
    }

    private static String memberId(String id) throws InvalidRequestException {
        if (!MEMBER_ID.matcher(id).matches()) {
            throw InvalidRequestException.badRequest("'" + id + "' is not a node id (letters, digits, '_', '.', '-',"
                    + " at most 64)");
        }
        return id;
    }

    private static String text(byte[] utf8) {
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] key(String encoded) throws InvalidRequestException {
        byte[] key;
        try {
            key = PercentDecoding.decode(encoded, false);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.badRequest("bad key: " + e.getMessage());
        }
        if (key.length == 0) {
            throw InvalidRequestException.badRequest("empty key; use /kv/{key}");
        }
        if (key.length > maxKeyBytes) {
            throw InvalidRequestException.badRequest("key of " + key.length + " bytes is longer than the limit of "
                    + maxKeyBytes);
        }
        return key;
    }

    private static ReadConsistency consistency(byte[] value) throws InvalidRequestException {
        if (value == null) {
            return ReadConsistency.LINEARIZABLE;
        }
        String name = new String(value, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return switch (name) {
            case "linearizable" -> ReadConsistency.LINEARIZABLE;
            case "lease" -> ReadConsistency.LEASE;
            case "stale" -> ReadConsistency.STALE;
            default -> throw InvalidRequestException.badRequest(
                    "unknown consistency '" + name + "'; use linearizable, lease or stale");
        };
    }

    private static Map<String, byte[]> parameters(String query) throws InvalidRequestException {
        Map<String, byte[]> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue; // tolerate "?a=1&" and "?&a=1"
            }
            int eq = pair.indexOf('=');
            try {
                String name = new String(PercentDecoding.decode(eq < 0 ? pair : pair.substring(0, eq), true),
                        java.nio.charset.StandardCharsets.UTF_8);
                byte[] value = eq < 0 ? new byte[0] : PercentDecoding.decode(pair.substring(eq + 1), true);
                if (params.putIfAbsent(name, value) != null) {
                    throw InvalidRequestException.badRequest("parameter '" + name + "' is given twice");
                }
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.badRequest("bad query string: " + e.getMessage());
            }
        }
        return params;
    }

    private static void allowOnly(Map<String, byte[]> params, Set<String> allowed) throws InvalidRequestException {
        for (String name : params.keySet()) {
            if (!allowed.contains(name)) {
                throw InvalidRequestException.badRequest("unknown parameter '" + name + "'"
                        + (allowed.isEmpty() ? "; this request takes none" : "; this request takes " + allowed));
            }
        }
    }
}
