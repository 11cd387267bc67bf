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
 * @param dryRun    the caller asked for a preview only ({@code dry_run: true}); the gateway decides it once, the
 *                  policy sees the same value as {@code input.dry_run}, and a mutating tool must then change
 *                  nothing (the toolkit's {@code MutatingTool} makes that structural)
 * @param cancellation fires when the client cancels the request or the deadline passes; long-running tools stop
 *                  their remote work (kill the SSH command, abort the HTTP call) when it does
 */
public record ToolContext(
        Principal principal,
        String requestId,
        Instant deadline,
        Progress progress,
        Log log,
        boolean dryRun,
        Cancellation cancellation) {

    public ToolContext {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(deadline, "deadline");
        progress = progress == null ? Progress.NONE : progress;
        log = log == null ? Log.NONE : log;
        cancellation = cancellation == null ? Cancellation.NONE : cancellation;
    }

    /** A context for a real (not dry-run) call that is never cancelled except by its deadline. */
    public ToolContext(Principal principal, String requestId, Instant deadline, Progress progress, Log log) {
        this(principal, requestId, deadline, progress, log, false, Cancellation.NONE);
    }

    /** The same call with other progress reporting (e.g. none, for a nested diagnostic). */
    public ToolContext withProgress(Progress other) {
        return new ToolContext(principal, requestId, deadline, other, log, dryRun, cancellation);
    }

    /**
     * Whether the tool should stop now: the request was cancelled or the deadline has passed.
     */
    public boolean stopRequested() {
        return cancellation.cancelled() || !Instant.now().isBefore(deadline);
    }

    /** Cancellation of one call (MCP {@code notifications/cancelled}, or the gateway's deadline). */
    public interface Cancellation {
        /** Never cancelled. */
        Cancellation NONE = new Cancellation() {
            @Override
            public boolean cancelled() {
                return false;
            }

            @Override
            public AutoCloseable onCancel(Runnable action) {
                return () -> {};
            }
        };

        boolean cancelled();

        /**
         * Runs {@code action} once when the call is cancelled (at once if it already is). Closing the returned
         * handle unregisters it; tools close it when their remote work has finished.
         */
        AutoCloseable onCancel(Runnable action);

        /**
         * Marks the point of no return of a change: the requests that make it are about to be sent to the remote
         * system. Returns {@code false} when the call is already cancelled, and the change must then not be sent;
         * once it returned {@code true}, a later cancellation still stops waiting and reading, but the call is
         * reported (audit phase {@code cancelled_after_send}) as cancelled after {@code what} was sent, never as a
         * plain cancellation. The toolkit's {@code MutatingTool} calls it right before {@code apply}.
         *
         * @param what a short summary of the change, free of secrets (it is recorded in the audit log)
         */
        default boolean pointOfNoReturn(String what) {
            return !cancelled();
        }
    }

    /** Reports progress of a long call. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total, message) -> {};

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
        Log NONE = (level, message) -> {};

        void log(LogLevel level, String message);
    }
}
