package io.raftkit.testkit.sim;

/**
 * One client operation as the history records it. Times are positions in the history's single order
 * of events, so "A returned before B was invoked" is exact.
 *
 * @param id unique in the run; also written into the command, so an applied entry names its operation
 * @param kind what the client asked
 * @param key the key
 * @param value for PUT and CAS, the value written (unique in the run, so a read names its write)
 * @param expected for CAS, the value expected ("" matches an absent key)
 * @param mode for READ, the consistency asked for
 * @param node the node the client sent it to
 * @param invoke when the client sent it
 * @param complete when the answer came back; {@link Long#MAX_VALUE} when it never will (indeterminate)
 * @param outcome how it ended
 * @param readValue for an OK read, the value read (null: absent)
 * @param casSucceeded for an OK CAS, whether the value matched and was replaced
 */
public record Operation(long id, Kind kind, String key, String value, String expected, ReadMode mode, String node,
                        long invoke, long complete, Outcome outcome, String readValue, boolean casSucceeded) {

    /** What a client asked for. */
    public enum Kind { PUT, CAS, READ }

    /** The consistency a read asks for. */
    public enum ReadMode { LINEARIZABLE, LEASE, STALE }

    /**
     * OK: completed with a result. FAIL: definitely did not take effect. INFO: indeterminate, it may or
     * may not have taken effect, at any time after it was invoked.
     */
    public enum Outcome { OK, FAIL, INFO }

    public boolean isWrite() {
        return kind != Kind.READ;
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case PUT -> "put(" + key + "=" + value + ")";
            case CAS -> "cas(" + key + ": '" + expected + "'->" + value + ")";
            case READ -> "read[" + mode + "](" + key + ")";
        };
        String result = switch (outcome) {
            case OK -> kind == Kind.READ ? " -> " + readValue : kind == Kind.CAS ? " -> " + casSucceeded : " ok";
            case FAIL -> " failed";
            case INFO -> " indeterminate";
        };
        String end = complete == Long.MAX_VALUE ? "inf" : Long.toString(complete);
        return "op" + id + " " + what + result + " @" + node + " [" + invoke + ", " + end + "]";
    }
}
