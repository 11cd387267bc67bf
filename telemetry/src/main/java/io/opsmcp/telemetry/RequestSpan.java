package io.opsmcp.telemetry;

/**
 * The span of one MCP request, open until {@link #end()}. The server keeps it in the request's MCP transport context
 * ({@link McpTracing#CONTEXT_KEY}) and makes it current around the gateway call ({@link #activate()}), so the tool
 * call's span becomes its child. Thread-safe: it may end on another thread than it started.
 */
public interface RequestSpan {

    /** A span that records nothing (tracing off). */
    RequestSpan NONE = new RequestSpan() {
        @Override
        public Activation activate() {
            return () -> {};
        }

        @Override
        public void failed(String errorType) {}

        @Override
        public void end() {}
    };

    /** Makes this request the current trace context on the calling thread until the activation is closed. */
    Activation activate();

    /**
     * Marks the request failed (span status ERROR, {@code error.type}).
     *
     * @param errorType a low-cardinality error class: a JSON-RPC error code as text, or an exception class name
     */
    void failed(String errorType);

    /** Ends the span (and records {@code mcp.server.operation.duration}); later calls do nothing. */
    void end();

    /** A scope that ends without a checked exception. */
    @FunctionalInterface
    interface Activation extends AutoCloseable {
        @Override
        void close();
    }
}
