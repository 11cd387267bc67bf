package io.opsmcp.server.stdio;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.opsmcp.server.OpsMcpRuntime;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stdio transport: newline-delimited JSON-RPC on stdin/stdout. Before the server starts,
 * {@link System#out} is pointed at stderr, so a stray print anywhere in the process cannot corrupt the
 * protocol stream; only the transport holds the real stdout.
 */
public final class StdioTransport {

    private StdioTransport() {
    }

    /** Serves until stdin closes (the client went away), then returns. */
    public static void serve(OpsMcpRuntime runtime) throws InterruptedException {
        OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        CountDownLatch closed = new CountDownLatch(1);
        InputStream in = new ClosingAwareInputStream(System.in, closed::countDown);
        SerializedSendTransportProvider transport = new SerializedSendTransportProvider(new StdioServerTransportProvider(
                new JacksonMcpJsonMapper(JsonMapper.builder().build()), in, protocolOut));
        McpSyncServer server = runtime.serverFactory().create(transport);
        try {
            closed.await();
        } finally {
            server.close();
        }
    }

    /** Signals when the client closes stdin, which is how a stdio client ends the session. */
    private static final class ClosingAwareInputStream extends java.io.FilterInputStream {
        private final Runnable onEof;

        ClosingAwareInputStream(InputStream in, Runnable onEof) {
            super(in);
            this.onEof = onEof;
        }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b < 0) {
                onEof.run();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws java.io.IOException {
            int n = super.read(buf, off, len);
            if (n < 0) {
                onEof.run();
            }
            return n;
        }
    }
}
