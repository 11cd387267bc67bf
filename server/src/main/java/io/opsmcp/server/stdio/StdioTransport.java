package io.opsmcp.server.stdio;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.mcp.LazyJsonSchemaValidator;
import io.opsmcp.server.mcp.McpServerFactory;
import io.opsmcp.server.mcp.RequestTracer;
import io.opsmcp.toolkit.Deferred;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stdio transport: newline-delimited JSON-RPC on stdin/stdout. {@link #open} points {@link System#out} at
 * stderr, so a stray print anywhere in the process cannot corrupt the protocol stream (only the transport holds the
 * real stdout), and begins reading: the client's {@code initialize} is answered as soon as it arrives
 * ({@link EarlyInitialize}), while the runtime is still being built; {@link #serve} then hands everything read to the
 * runtime's MCP server, in order. Lines that are not JSON-RPC messages are answered with a JSON-RPC error and the
 * session goes on ({@link JsonRpcLineFilter}). Once the first answer is out and the runtime is there (or a second
 * after {@link #serve} without a request), what the runtime left for later starts in the background
 * ({@link OpsMcpRuntime#startInBackground()}), with the MCP SDK's JSON Schema validator
 * ({@link LazyJsonSchemaValidator#prepareInBackground()}); if the runtime cannot start, the process ends with status 1.
 */
public final class StdioTransport {

    private static final Logger log = LoggerFactory.getLogger(StdioTransport.class);

    /** How long the deferred start waits for a first answer before it starts anyway. */
    static final Duration START_ANYWAY_AFTER = Duration.ofSeconds(1);

    /** How long a server whose backend cannot start goes on before it ends, so that waiting calls get their answer. */
    static final Duration EXIT_GRACE = Duration.ofSeconds(1);

    private final Deferred<McpJsonMapper> json;
    private final LineAtomicOutputStream protocolOut;
    private final JsonRpcLineFilter in;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Told of each tools/call read: the runtime's, once {@link #serve} has it. */
    private volatile Runnable callArriving = () -> {};

    StdioTransport(Deferred<McpJsonMapper> json, OutputStream stdout, InputStream stdin) {
        this.json = json;
        this.protocolOut = new LineAtomicOutputStream(stdout);
        // Malformed lines are answered here and never reach the SDK's reader, which would stop on them; a tools/call
        // request stops the first-call warm-up as soon as it is read.
        this.in = new JsonRpcLineFilter(stdin, protocolOut::writeLine, closed::countDown, () -> callArriving.run());
    }

    /**
     * Begins making the transport's JSON mapper on a thread of its own ({@link ProtocolJson}); call it before the
     * runtime is built, so that the two overlap, and give the result to {@link #open}.
     */
    public static Deferred<McpJsonMapper> prepareJson() {
        return ProtocolJson.prepare();
    }

    /**
     * Takes over stdin and stdout (stdout for the protocol only: {@link System#out} goes to stderr from now on) and
     * answers the client's {@code initialize} as soon as it is read, on a thread of its own, as a server of
     * {@code identity} answers it; nothing else is read until {@link #serve}.
     *
     * @param json     from {@link #prepareJson()}
     * @param identity what the runtime's server will declare ({@link OpsMcpRuntime#identity})
     */
    public static StdioTransport open(Deferred<McpJsonMapper> json, McpServerFactory.Identity identity) {
        StdioTransport transport = new StdioTransport(json, new FileOutputStream(FileDescriptor.out), System.in);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        transport.answerInitializeEarly(identity);
        return transport;
    }

    /** Starts the thread that answers {@code initialize} ahead of {@link #serve} ({@link EarlyInitialize}). */
    void answerInitializeEarly(McpServerFactory.Identity identity) {
        EarlyInitialize early = new EarlyInitialize(identity, protocolOut);
        Thread reader = new Thread(
                () -> {
                    try {
                        in.peekFirst(early::answer);
                    } catch (IOException e) { // the SDK's reader meets it too, and reports it
                        log.debug("stdio: reading the first message failed: {}", e.toString());
                    }
                },
                "ops-mcp-early-initialize");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts what the runtime deferred even when no request comes ({@link #START_ANYWAY_AFTER} after the transport is
     * up, if the first answer did not start it sooner), and ends the process with status 1 when it cannot start: a
     * stdio server without its store or policy could only refuse every call, so, as before the start was deferred, a
     * second server on the same data directory or a bundle that does not compile stops the server at once with the
     * reason on stderr (logged by the runtime, no stack trace) rather than leaving a client with a server that fails;
     * {@link #EXIT_GRACE} after the failure, so that the calls that waited for the backend are answered first.
     */
    private static Thread watchBackend(OpsMcpRuntime runtime, AtomicBoolean served) {
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
                        try {
                            // the calls that waited for the backend are answered first (a tool error that says why)
                            Thread.sleep(EXIT_GRACE.toMillis());
                        } catch (InterruptedException stopped) {
                            Thread.currentThread().interrupt();
                        }
                        if (!served.get()) { // not for a runtime closed after its client went away
                            System.exit(1);
                        }
                    }
                },
                "ops-mcp-start-watch");
        watch.setDaemon(true);
        watch.start();
        return watch;
    }

    /**
     * Serves {@code runtime} until stdin closes (the client went away), then returns. What was read before (the
     * {@code initialize} answered early, and whatever followed it) reaches the runtime's server first, in order.
     */
    public void serve(OpsMcpRuntime runtime) throws InterruptedException {
        callArriving = runtime::callArriving;
        SerializedSendTransportProvider transport = new SerializedSendTransportProvider(
                new StdioServerTransportProvider(json.get(), in, protocolOut),
                runtime.serverFactory().subscriptions(),
                new RequestTracer(runtime.telemetry().tracing(), "pipe"));
        McpSyncServer server = runtime.serverFactory().create(transport);
        protocolOut.afterFirstLine(() -> {
            runtime.startInBackground();
            LazyJsonSchemaValidator.prepareInBackground();
        });
        AtomicBoolean served = new AtomicBoolean();
        Thread watch = watchBackend(runtime, served);
        try {
            closed.await();
        } finally {
            served.set(true);
            watch.interrupt();
            server.close();
        }
    }
}
