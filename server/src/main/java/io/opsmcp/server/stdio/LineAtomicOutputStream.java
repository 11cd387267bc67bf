package io.opsmcp.server.stdio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The protocol stdout shared by two writers: the MCP SDK (which writes a message and its newline in separate
 * calls) and {@link JsonRpcLineFilter}'s error answers. Bytes are collected until a newline and then written as one
 * line under a lock, so an answer can never land between a message and its newline. Once the first line is out
 * (the {@code initialize} answer), {@code afterFirstLine} runs, once.
 */
final class LineAtomicOutputStream extends OutputStream {

    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** Set to null once it ran; guarded by this. */
    private Runnable afterFirstLine;

    LineAtomicOutputStream(OutputStream out) {
        this(out, () -> {});
    }

    LineAtomicOutputStream(OutputStream out, Runnable afterFirstLine) {
        this.out = out;
        this.afterFirstLine = afterFirstLine;
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
        if (pending.size() > 0) {
            pending.writeTo(out);
            pending.reset();
            out.flush();
            firstLineOut();
        }
    }

    private void firstLineOut() {
        if (afterFirstLine != null) {
            Runnable run = afterFirstLine;
            afterFirstLine = null;
            run.run();
        }
    }
}
