package io.raftkit.testkit.sim;

import java.util.PriorityQueue;

/**
 * Simulated time: a queue of actions ordered by due time, and, for equal times, by scheduling order,
 * so a run is a pure function of its seed. Running an action is one step of the simulation.
 */
final class EventQueue {

    /** {@code subject} describes the event for the trace; it is only turned into text when printed. */
    private record Event(long at, long seq, Object subject, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private Object current;

    long now() {
        return now;
    }

    void at(long time, Object subject, Runnable action) {
        queue.add(new Event(Math.max(time, now), seq++, subject, action));
    }

    void after(long delay, Object subject, Runnable action) {
        at(now + delay, subject, action);
    }

    /** Runs the earliest event. False when nothing is scheduled. */
    boolean runNext() {
        Event e = queue.poll();
        if (e == null) {
            return false;
        }
        now = e.at;
        current = e.subject;
        e.action.run();
        return true;
    }

    /** What the event being run (or last run) is about. */
    Object current() {
        return current;
    }
}
