package io.raftkit.node;

import java.util.Arrays;

/**
 * One client session's saved answers, by sequence number, in increasing order. A session's commands are
 * applied mostly in the order they were numbered, so an answer is nearly always added last and dropped
 * first: sorted parallel arrays do that without a tree node and a boxed key per command. Not thread-safe.
 */
final class SavedAnswers {

    private long[] sequences = new long[4];
    private byte[][] answers = new byte[4][];
    private int first;
    private int size;

    int size() {
        return size;
    }

    /** The answer saved for {@code sequence}, or null. */
    byte[] get(long sequence) {
        int i = Arrays.binarySearch(sequences, first, first + size, sequence);
        return i >= 0 ? answers[i] : null;
    }

    /** Saves {@code answer} for {@code sequence}, which has none yet. */
    void put(long sequence, byte[] answer) {
        int end = first + size;
        int at = size == 0 || sequences[end - 1] < sequence ? end
                : -Arrays.binarySearch(sequences, first, end, sequence) - 1;
        if (end == sequences.length) {
            if (first > 0) { // room at the front: slide down
                System.arraycopy(sequences, first, sequences, 0, size);
                System.arraycopy(answers, first, answers, 0, size);
                Arrays.fill(answers, size, end, null);
                at -= first;
                first = 0;
            } else {
                sequences = Arrays.copyOf(sequences, sequences.length * 2);
                answers = Arrays.copyOf(answers, answers.length * 2);
            }
            end = first + size;
        }
        System.arraycopy(sequences, at, sequences, at + 1, end - at);
        System.arraycopy(answers, at, answers, at + 1, end - at);
        sequences[at] = sequence;
        answers[at] = answer;
        size++;
    }

    /** Drops the answers to every sequence number below {@code sequence}; returns their cost in bytes. */
    long dropBelow(long sequence) {
        long freed = 0;
        while (size > 0 && sequences[first] < sequence) {
            freed += (long) answers[first].length + SessionTable.ANSWER_OVERHEAD;
            answers[first] = null;
            first++;
            size--;
        }
        if (size == 0) {
            first = 0;
        }
        return freed;
    }

    /** The {@code i}-th saved sequence number, oldest first. */
    long sequence(int i) {
        return sequences[first + i];
    }

    /** The {@code i}-th saved answer, oldest first. */
    byte[] answer(int i) {
        return answers[first + i];
    }

    void clear() {
        Arrays.fill(answers, first, first + size, null);
        first = 0;
        size = 0;
    }
}
