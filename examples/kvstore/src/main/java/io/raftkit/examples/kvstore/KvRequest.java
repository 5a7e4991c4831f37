package io.raftkit.examples.kvstore;

import io.raftkit.node.ReadConsistency;

/** One parsed HTTP request to a kvstore node, independent of the HTTP library. */
public sealed interface KvRequest {

    /** {@code GET /kv/{key}?consistency=...}. */
    record Get(byte[] key, ReadConsistency consistency) implements KvRequest {}

    /** {@code PUT /kv/{key}} with the value as body. */
    record Put(byte[] key, byte[] value) implements KvRequest {}

    /** {@code DELETE /kv/{key}}. */
    record Delete(byte[] key) implements KvRequest {}

    /** {@code POST /kv/{key}?expect=...} with the new value as body. */
    record CompareAndSet(byte[] key, byte[] expect, byte[] value) implements KvRequest {}

    /** {@code GET /status}. */
    record Status() implements KvRequest {}
}
