package io.raftkit.examples.kvstore;

import io.raftkit.node.ClientSession;
import io.raftkit.node.RaftNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Serves {@link KvRequest}s from a {@link RaftNode}: writes go through {@code submit} (a follower
 * forwards them to the leader), reads through {@code query} at the requested consistency. Nothing here
 * blocks; every answer is a future completed from the node's futures.
 *
 * <p>A write is answered 200 only when the node completed its future with the state machine's result,
 * which it does after the entry was committed and applied. Every failure goes through
 * {@link ErrorResponses}.
 *
 * <p>A write sent in a client session goes through {@code submitInSession} instead. A retry of it that the
 * group has answered before completes with the saved result, not applying the command again; it is
 * answered here exactly as the first attempt was, which is what lets an HTTP client retry blindly.
 */
final class KvService {

    private final RaftNode node;
    private final int maxCommandBytes;
    private final Duration answerTimeout;
    private final AdminService admin;

    /**
     * @param maxCommandBytes the node's {@code NodeOptions.maxCommandBytes}: larger writes are answered 413
     * @param answerTimeout a safety net past the node's own request timeout; when it passes first the
     *     request is answered as timed out (for a write: outcome unknown)
     */
    KvService(RaftNode node, int maxCommandBytes, Duration answerTimeout) {
        this.node = node;
        this.maxCommandBytes = maxCommandBytes;
        this.answerTimeout = answerTimeout;
        this.admin = new AdminService(node, answerTimeout);
    }

    CompletableFuture<KvResponse> handle(KvRequest request) {
        if (request instanceof KvRequest.Status) {
            return admin.membership().thenApply(m -> KvResponse.json(StatusJson.render(node.status(), m,
                    node.metrics().sessionsOpen())));
        }
        if (request instanceof KvRequest.Metrics) {
            // The lags ask the node's event loop: off the HTTP event loop, as /status does.
            return CompletableFuture.supplyAsync(() -> new KvResponse(200, PrometheusText.CONTENT_TYPE,
                    PrometheusText.render(node.status().id(), node.metrics(), node.metrics().lag())
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8), null));
        }
        if (request instanceof KvRequest.Admin a) {
            return admin.handle(a);
        }
        if (request instanceof KvRequest.Get get) {
            return read(get);
        }
        if (request instanceof KvRequest.OpenSession) {
            return openSession();
        }
        if (request instanceof KvRequest.CloseSession close) {
            return closeSession(close.session());
        }
        if (request instanceof KvRequest.SessionWrite w) {
            return write(command(w.write()),
                    encoded -> node.submitInSession(w.session(), w.sequence(), w.ackedBelow(), encoded),
                    ErrorResponses::forSessionWrite);
        }
        return write(command((KvRequest.Write) request), node::submit, ErrorResponses::forWrite);
    }

    private static KvCommand command(KvRequest.Write write) {
        if (write instanceof KvRequest.Put put) {
            return new KvCommand.Put(put.key(), put.value());
        }
        if (write instanceof KvRequest.Delete delete) {
            return new KvCommand.Delete(delete.key());
        }
        KvRequest.CompareAndSet cas = (KvRequest.CompareAndSet) write;
        return new KvCommand.CompareAndSet(cas.key(), cas.expect(), cas.value());
    }

    /** {@code POST /sessions}: 201 with {@code {"session":ID}} once the opening entry is applied here. */
    private CompletableFuture<KvResponse> openSession() {
        CompletableFuture<ClientSession> opened;
        try {
            opened = node.openSession();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ErrorResponses.forOpenSession(e));
        }
        return within(opened).handle((session, failure) -> failure != null ? ErrorResponses.forOpenSession(failure)
                : KvResponse.json("{\"session\":" + session.id() + "}")
                        .created(RequestParser.SESSIONS_PATH + "/" + session.id()));
    }

    /** {@code DELETE /sessions/{id}}: 200 once the closing entry is applied here, whether or not it was open. */
    private CompletableFuture<KvResponse> closeSession(long id) {
        CompletableFuture<Void> closed;
        try {
            closed = node.closeSession(id);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ErrorResponses.forCloseSession(e));
        }
        return within(closed).handle((v, failure) -> failure != null ? ErrorResponses.forCloseSession(failure)
                : KvResponse.text(200, "OK"));
    }

    private CompletableFuture<KvResponse> read(KvRequest.Get get) {
        CompletableFuture<byte[]> answer;
        try {
            answer = node.query(KvQuery.get(get.key()), get.consistency());
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ErrorResponses.forRead(e));
        }
        return within(answer).handle((bytes, failure) -> {
            if (failure != null) {
                return ErrorResponses.forRead(failure);
            }
            Optional<byte[]> value = KvQuery.value(bytes);
            return value.map(KvResponse::value).orElseGet(() -> KvResponse.text(404, "not found"));
        });
    }

    /**
     * @param submit hands the encoded command to the node
     * @param failed the answer to a failure (they differ in what a client may do next)
     */
    private CompletableFuture<KvResponse> write(KvCommand command, Function<byte[], CompletableFuture<byte[]>> submit,
                                                Function<Throwable, KvResponse> failed) {
        byte[] encoded = command.encode();
        if (encoded.length > maxCommandBytes) {
            return CompletableFuture.completedFuture(KvResponse.text(413, "the write is " + encoded.length
                    + " bytes with its key, over the limit of " + maxCommandBytes));
        }
        CompletableFuture<byte[]> result;
        try {
            result = submit.apply(encoded);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed.apply(e));
        }
        return within(result).handle((bytes, failure) -> {
            if (failure != null) {
                return failed.apply(failure);
            }
            return switch (WriteOutcome.decode(bytes)) {
                case APPLIED -> KvResponse.text(200, "OK");
                case CAS_MISMATCH -> KvResponse.text(409, "compare-and-set failed: the current value does not match expect");
                case MALFORMED -> KvResponse.text(500, "internal error: the state machine could not decode the command");
            };
        });
    }

    private <T> CompletableFuture<T> within(CompletableFuture<T> f) {
        // A copy, so the timeout does not complete the node's own future.
        return f.thenApply(v -> v).orTimeout(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
