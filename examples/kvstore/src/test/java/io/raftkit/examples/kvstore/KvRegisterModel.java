package io.raftkit.examples.kvstore;

import io.raftkit.testkit.check.Model;

/**
 * What the HTTP history clients expect of the key-value store, as a testkit {@link Model}: each key is a
 * register (its own partition); a PUT sets it and returns nothing, a read returns it (null: absent).
 */
final class KvRegisterModel implements Model<String, KvRegisterModel.Op, String> {

    /** A client's request: a PUT of {@code value}, or a read when {@code value} is null. */
    record Op(String key, String value) {
        static Op put(String key, String value) {
            return new Op(key, value);
        }

        static Op read(String key) {
            return new Op(key, null);
        }

        @Override
        public String toString() {
            return value == null ? "read(" + key + ")" : "put(" + key + "=" + value + ")";
        }
    }

    @Override
    public String initial() {
        return null;
    }

    @Override
    public Step<String, String> step(String state, Op op) {
        return op.value() == null ? new Step<>(state, state) : new Step<>(op.value(), null);
    }

    @Override
    public Object partition(Op op) {
        return op.key();
    }

    @Override
    public boolean readOnly(Op op) {
        return op.value() == null;
    }
}
