package io.opsmcp.core.tool;

import java.time.Instant;
import java.util.Objects;

/**
 * Per-call context handed to {@link OpsTool#describe} and {@link OpsTool#execute}.
 *
 * @param principal the caller
 * @param requestId the JSON-RPC request id (or a generated id), for correlating logs and audit
 * @param deadline  when the gateway gives up on the call; long-running tools stop their remote work by then
 * @param progress  sink for MCP {@code notifications/progress}; a no-op when the client sent no progress token
 * @param log       sink for MCP {@code notifications/message}; filtered by the client's {@code logging/setLevel}
 */
public record ToolContext(Principal principal, String requestId, Instant deadline, Progress progress, Log log) {

    public ToolContext {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(deadline, "deadline");
        progress = progress == null ? Progress.NONE : progress;
        log = log == null ? Log.NONE : log;
    }

    /** Reports progress of a long call. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total, message) -> { };

        /**
         * @param done    work done so far, increasing with every call
         * @param total   total work if known, else {@code null}
         * @param message what is happening now, or {@code null}
         */
        void report(double done, Double total, String message);
    }

    /** Sends a log message to the client (in addition to the server's own log). */
    @FunctionalInterface
    public interface Log {
        Log NONE = (level, message) -> { };

        void log(LogLevel level, String message);
    }
}
