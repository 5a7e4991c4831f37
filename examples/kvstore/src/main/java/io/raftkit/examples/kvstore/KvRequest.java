package io.raftkit.examples.kvstore;

import io.raftkit.node.ReadConsistency;

/** One parsed HTTP request to a kvstore node, independent of the HTTP library. */
public sealed interface KvRequest {

    /** {@code GET /kv/{key}?consistency=...}. */
    record Get(byte[] key, ReadConsistency consistency) implements KvRequest {}

    /** A change to the map: PUT, DELETE or compare-and-set. */
    sealed interface Write extends KvRequest {}

    /** {@code PUT /kv/{key}} with the value as body. */
    record Put(byte[] key, byte[] value) implements Write {}

    /** {@code DELETE /kv/{key}}. */
    record Delete(byte[] key) implements Write {}

    /** {@code POST /kv/{key}?expect=...} with the new value as body. */
    record CompareAndSet(byte[] key, byte[] expect, byte[] value) implements Write {}

    /**
     * A write sent with the {@code Raft-Session} and {@code Raft-Sequence} headers ({@link SessionHeaders}):
     * the group applies it at most once however often it is sent, to whichever node.
     *
     * @param ackedBelow the client holds the answers to every write of the session numbered below this
     */
    record SessionWrite(Write write, long session, long sequence, long ackedBelow) implements KvRequest {}

    /** {@code POST /sessions}: opens a client session. */
    record OpenSession() implements KvRequest {}

    /** {@code DELETE /sessions/{id}}: closes one. */
    record CloseSession(long session) implements KvRequest {}

    /** {@code GET /status}. */
    record Status() implements KvRequest {}

    /** {@code GET /metrics}: the node's metrics in the Prometheus text format. */
    record Metrics() implements KvRequest {}

    /** A request to change or show the group ({@code /admin/...}), served by {@link AdminService}. */
    sealed interface Admin extends KvRequest {}

    /** {@code GET /admin/members}. */
    record Members() implements Admin {}

    /** {@code POST /admin/members/{id}?address=HOST:PORT}: adds {@code member} as a learner. */
    record AddLearner(String member, String address) implements Admin {}

    /** {@code POST /admin/members/{id}/promote}: makes learner {@code member} a voter. */
    record Promote(String member) implements Admin {}

    /** {@code DELETE /admin/members/{id}}. */
    record RemoveMember(String member) implements Admin {}

    /** {@code POST /admin/leader?to={id}}: {@code to} null for the most up-to-date voter. */
    record TransferLeader(String to) implements Admin {}
}
