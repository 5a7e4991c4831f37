package io.raftkit.examples.kvstore;

import io.raftkit.node.RaftNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Serves {@link KvRequest}s from a {@link RaftNode}: writes go through {@code submit} (a follower
 * forwards them to the leader), reads through {@code query} at the requested consistency. Nothing here
 * blocks; every answer is a future completed from the node's futures.
 *
 * <p>A write is answered 200 only when the node completed its future with the state machine's result,
 * which it does after the entry was committed and applied. Every failure goes through
 * {@link ErrorResponses}.
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
            return admin.membership().thenApply(m -> KvResponse.json(StatusJson.render(node.status(), m)));
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
        KvCommand command;
        if (request instanceof KvRequest.Put put) {
            command = new KvCommand.Put(put.key(), put.value());
        } else if (request instanceof KvRequest.Delete delete) {
            command = new KvCommand.Delete(delete.key());
        } else {
            KvRequest.CompareAndSet cas = (KvRequest.CompareAndSet) request;
            command = new KvCommand.CompareAndSet(cas.key(), cas.expect(), cas.value());
        }
        return write(command);
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

    private CompletableFuture<KvResponse> write(KvCommand command) {
        byte[] encoded = command.encode();
        if (encoded.length > maxCommandBytes) {
            return CompletableFuture.completedFuture(KvResponse.text(413, "the write is " + encoded.length
                    + " bytes with its key, over the limit of " + maxCommandBytes));
        }
        CompletableFuture<byte[]> result;
        try {
            result = node.submit(encoded);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ErrorResponses.forWrite(e));
        }
        return within(result).handle((bytes, failure) -> {
            if (failure != null) {
                return ErrorResponses.forWrite(failure);
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
