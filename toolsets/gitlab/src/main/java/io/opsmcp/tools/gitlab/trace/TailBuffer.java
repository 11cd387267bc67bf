package io.opsmcp.tools.gitlab.trace;

import java.util.ArrayList;
import java.util.List;

/** Keeps the last {@code capacity} lines of a stream (a ring buffer); not thread-safe. */
public final class TailBuffer implements TraceReader.LineSink {

    private final long[] numbers;
    private final String[] texts;
    private long seen;

    public TailBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        numbers = new long[capacity];
        texts = new String[capacity];
    }

    @Override
    public void line(long number, String text) {
        int slot = (int) (seen % texts.length);
        numbers[slot] = number;
        texts[slot] = text;
        seen++;
    }

    /** Visible lines seen so far. */
    public long seen() {
        return seen;
    }

    /** The kept lines, oldest first. */
    public List<TraceLine> lines() {
        int size = (int) Math.min(seen, texts.length);
        List<TraceLine> out = new ArrayList<>(size);
        long start = seen - size;
        for (long i = start; i < seen; i++) {
            int slot = (int) (i % texts.length);
            out.add(new TraceLine(numbers[slot], texts[slot], false));
        }
        return out;
    }
}
