package io.raftkit.testkit.sim;

import io.raftkit.testkit.check.Model;

/**
 * The sequential specification of the key-value store, as a testkit {@link Model}: the state is one
 * key's value (null: absent), since the checker takes each key as its own partition. A put returns
 * nothing, a CAS whether it matched, a read the value. An indeterminate CAS has no recorded result, so
 * the checker lets it happen in any state; its effect still depends on the state.
 */
final class KvModel implements Model<String, Operation, Object> {

    static final KvModel INSTANCE = new KvModel();

    private KvModel() {}

    @Override
    public String initial() {
        return null;
    }

    @Override
    public Step<String, Object> step(String value, Operation op) {
        return switch (op.kind()) {
            case PUT -> new Step<>(op.value(), null);
            case CAS -> {
                boolean matches = op.expected().equals(value == null ? "" : value);
                yield new Step<>(matches ? op.value() : value, matches);
            }
            case READ -> new Step<>(value, value);
        };
    }

    @Override
    public Object partition(Operation op) {
        return op.key();
    }

    @Override
    public boolean readOnly(Operation op) {
        return op.kind() == Operation.Kind.READ;
    }

    /** {@code op} as the checker takes it: the simulator's operation is the input, its answer the output. */
    static io.raftkit.testkit.check.Operation<Operation, Object> asChecked(Operation op) {
        io.raftkit.testkit.check.Operation.Outcome outcome = switch (op.outcome()) {
            case OK -> io.raftkit.testkit.check.Operation.Outcome.OK;
            case FAIL -> io.raftkit.testkit.check.Operation.Outcome.FAILED;
            case INFO -> io.raftkit.testkit.check.Operation.Outcome.UNKNOWN;
        };
        Object output = switch (op.kind()) {
            case PUT -> null;
            case CAS -> op.casSucceeded();
            case READ -> op.readValue();
        };
        return new io.raftkit.testkit.check.Operation<>(op.id(), op, outcome == io.raftkit.testkit.check.Operation.Outcome.OK
                ? output : null, outcome, op.invoke(), op.complete(), op.node());
    }
}
