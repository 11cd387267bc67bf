package io.opsmcp.server.stdio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The protocol stdout shared by two writers: the MCP SDK (which writes a message and its newline in separate
 * calls) and {@link JsonRpcLineFilter}'s error answers. Bytes are collected until a newline and then written as one
 * line under a lock, so an answer can never land between a message and its newline. Once the first line is out
 * (the {@code initialize} answer), the {@link #afterFirstLine} action runs, once. One line of the SDK's can be
 * dropped ({@link #dropOnce}): its answer to an {@code initialize} that {@link EarlyInitialize} answered already.
 */
final class LineAtomicOutputStream extends OutputStream {

    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** Whether a line is out; guarded by this. */
    private boolean lineOut;
    /** Runs once the first line is out; null when there is none (or it ran). Guarded by this. */
    private Runnable afterFirstLine;
    /** The SDK line to drop (see {@link #dropOnce}); null when none. Guarded by this. */
    private Predicate<String> drop;

    LineAtomicOutputStream(OutputStream out) {
        this.out = out;
    }

    /**
     * Runs {@code action} once the first line is out: now (on this thread) when one is out already, else on the
     * thread that writes it, right after it.
     */
    void afterFirstLine(Runnable action) {
        synchronized (this) {
            if (!lineOut) {
                afterFirstLine = action;
                return;
            }
        }
        action.run();
    }

    /**
     * Drops the first line written through the stream (the SDK's side; not {@link #writeLine}) for which
     * {@code line} answers true, instead of writing it; the test is given each such line (without its newline)
     * until one matches, then no more.
     */
    synchronized void dropOnce(Predicate<String> line) {
        this.drop = line;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        pending.write(b);
        if (b == '\n') {
            drain();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                pending.write(b, start, i + 1 - start);
                drain();
                start = i + 1;
            }
        }
        pending.write(b, start, off + len - start);
    }

    /** Writes one whole message (a newline is added) between the lines of the other writer. */
    synchronized void writeLine(String message) throws IOException {
        out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        firstLineOut();
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        drain();
        out.close();
    }

    private void drain() throws IOException {
        if (pending.size() > 0 && drop != null) {
            byte[] line = pending.toByteArray();
            if (drop.test(new String(line, 0, line.length - 1, StandardCharsets.UTF_8))) {
                drop = null;
                pending.reset();
                return;
            }
        }
        if (pending.size() > 0) {
            pending.writeTo(out);
            pending.reset();
            out.flush();
            firstLineOut();
        }
    }

    private void firstLineOut() {
        lineOut = true;
        if (afterFirstLine != null) {
            Runnable run = afterFirstLine;
            afterFirstLine = null;
            run.run();
        }
    }
}
