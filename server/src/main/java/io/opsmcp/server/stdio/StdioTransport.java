package io.opsmcp.server.stdio;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.mcp.LazyJsonSchemaValidator;
import io.opsmcp.server.mcp.RequestTracer;
import io.opsmcp.toolkit.Deferred;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The stdio transport: newline-delimited JSON-RPC on stdin/stdout. Before the server starts,
 * {@link System#out} is pointed at stderr, so a stray print anywhere in the process cannot corrupt the
 * protocol stream; only the transport holds the real stdout. Lines that are not JSON-RPC messages are answered
 * with a JSON-RPC error and the session goes on ({@link JsonRpcLineFilter}). Once the first answer (to
 * {@code initialize}) is written (or a second later without a request), what the runtime left for later starts in
 * the background ({@link OpsMcpRuntime#startInBackground()}), with the MCP SDK's JSON Schema validator
 * ({@link LazyJsonSchemaValidator#prepareInBackground()}); if the runtime cannot start, the process ends with status 1.
 */
public final class StdioTransport {

    private StdioTransport() {}

    /** How long the deferred start waits for a first answer before it starts anyway. */
    static final Duration START_ANYWAY_AFTER = Duration.ofSeconds(1);

    /**
     * Starts what the runtime deferred even when no request comes ({@link #START_ANYWAY_AFTER} after the transport is
     * up, if the first answer did not start it sooner), and ends the process with status 1 when it cannot start: a
     * stdio server without its store or policy could only refuse every call, so, as before the start was deferred, a
     * second server on the same data directory or a bundle that does not compile stops the server at once with the
     * reason on stderr (logged by the runtime, no stack trace) rather than leaving a client with a server that fails.
     */
    private static void watchBackend(OpsMcpRuntime runtime) {
        Thread watch = new Thread(
                () -> {
                    try {
                        Thread.sleep(START_ANYWAY_AFTER.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    runtime.startInBackground();
                    try {
                        runtime.awaitBackend();
                    } catch (RuntimeException e) {
                        System.exit(1);
                    }
                },
                "ops-mcp-start-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /**
     * Begins making the transport's JSON mapper on a thread of its own ({@link ProtocolJson}); call it before the
     * runtime is built, so that the two overlap, and give the result to {@link #serve}.
     */
    public static Deferred<McpJsonMapper> prepareJson() {
        return ProtocolJson.prepare();
    }

    /**
     * Serves until stdin closes (the client went away), then returns.
     *
     * @param json from {@link #prepareJson()}
     */
    public static void serve(OpsMcpRuntime runtime, Deferred<McpJsonMapper> json) throws InterruptedException {
        LineAtomicOutputStream protocolOut =
                new LineAtomicOutputStream(new FileOutputStream(FileDescriptor.out), () -> {
                    runtime.startInBackground();
                    LazyJsonSchemaValidator.prepareInBackground();
                });
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        CountDownLatch closed = new CountDownLatch(1);
        // Malformed lines are answered here and never reach the SDK's reader, which would stop on them; a tools/call
        // request stops the first-call warm-up as soon as it is read.
        InputStream in =
                new JsonRpcLineFilter(System.in, protocolOut::writeLine, closed::countDown, runtime::callArriving);
        SerializedSendTransportProvider transport = new SerializedSendTransportProvider(
                new StdioServerTransportProvider(json.get(), in, protocolOut),
                runtime.serverFactory().subscriptions(),
                new RequestTracer(runtime.telemetry().tracing(), "pipe"));
        McpSyncServer server = runtime.serverFactory().create(transport);
        watchBackend(runtime);
        try {
            closed.await();
        } finally {
            server.close();
        }
    }
}
