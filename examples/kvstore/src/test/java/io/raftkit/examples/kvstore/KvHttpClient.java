package io.raftkit.examples.kvstore;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small client of the kvstore HTTP interface for tests, on {@link HttpClient}. */
final class KvHttpClient {

    /** A status code, a body and the headers. */
    record Reply(int status, byte[] body, Map<String, List<String>> headers) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The first value of header {@code name} (any case), or null. */
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    /** The fields of {@code GET /status} the tests look at. */
    record Status(String id, String role, String leader, long term, long commitIndex, long appliedIndex) {
        boolean isLeader() {
            return "LEADER".equals(role);
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    Reply send(String base, String method, String pathAndQuery, byte[] body) throws IOException, InterruptedException {
        return send(base, method, pathAndQuery, body, new String[0]);
    }

    /** @param headers names and values in turn; a name given twice is sent twice */
    Reply send(String base, String method, String pathAndQuery, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(20))
                .method(method, publisher);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.body(), response.headers().map());
    }

    Reply put(String base, String key, String value) throws IOException, InterruptedException {
        return send(base, "PUT", "/kv/" + key, value.getBytes(StandardCharsets.UTF_8));
    }

    Reply get(String base, String key) throws IOException, InterruptedException {
        return send(base, "GET", "/kv/" + key, null);
    }

    Reply get(String base, String key, String consistency) throws IOException, InterruptedException {
        return send(base, "GET", "/kv/" + key + "?consistency=" + consistency, null);
    }

    Reply delete(String base, String key) throws IOException, InterruptedException {
        return send(base, "DELETE", "/kv/" + key, null);
    }

    Reply compareAndSet(String base, String key, String expect, String value) throws IOException, InterruptedException {
        return send(base, "POST", "/kv/" + key + "?expect=" + URLEncoder.encode(expect, StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    Status status(String base) throws IOException, InterruptedException {
        Reply r = send(base, "GET", "/status", null);
        if (r.status() != 200) {
            throw new IOException("GET /status answered " + r.status() + ": " + r.text());
        }
        return parseStatus(r.text());
    }

    static Status parseStatus(String json) {
        return new Status(stringField(json, "id"), stringField(json, "role"), stringField(json, "leader"),
                longField(json, "term"), longField(json, "commitIndex"), longField(json, "appliedIndex"));
    }

    private static String stringField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(null|\"([^\"]*)\")").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no field " + name + " in " + json);
        }
        return m.group(2);
    }

    private static long longField(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no field " + name + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }
}
