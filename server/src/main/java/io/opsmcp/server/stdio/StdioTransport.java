package io.opsmcp.server.stdio;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.mcp.RequestTracer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stdio transport: newline-delimited JSON-RPC on stdin/stdout. Before the server starts,
 * {@link System#out} is pointed at stderr, so a stray print anywhere in the process cannot corrupt the
 * protocol stream; only the transport holds the real stdout. Lines that are not JSON-RPC messages are answered
 * with a JSON-RPC error and the session goes on ({@link JsonRpcLineFilter}). Once the first answer (to
 * {@code initialize}) is written, what the runtime left for later starts in the background
 * ({@link OpsMcpRuntime#startInBackground()}).
 */
public final class StdioTransport {

    private StdioTransport() {}

    /** Serves until stdin closes (the client went away), then returns. */
    public static void serve(OpsMcpRuntime runtime) throws InterruptedException {
        LineAtomicOutputStream protocolOut =
                new LineAtomicOutputStream(new FileOutputStream(FileDescriptor.out), runtime::startInBackground);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        CountDownLatch closed = new CountDownLatch(1);
        // Malformed lines are answered here and never reach the SDK's reader, which would stop on them.
        InputStream in = new JsonRpcLineFilter(System.in, protocolOut::writeLine, closed::countDown);
        SerializedSendTransportProvider transport = new SerializedSendTransportProvider(
                new StdioServerTransportProvider(
                        new JacksonMcpJsonMapper(JsonMapper.builder().build()), in, protocolOut),
                runtime.serverFactory().subscriptions(),
                new RequestTracer(runtime.telemetry().tracing(), "pipe"));
        McpSyncServer server = runtime.serverFactory().create(transport);
        try {
            closed.await();
        } finally {
            server.close();
        }
    }
}
