package io.opsmcp.core.tool;

import tools.jackson.databind.node.ObjectNode;

/**
 * One operation the server offers. Implementations hold no per-call state and are called from many threads.
 * The server's gateway calls, in order: argument validation against {@link ToolDefinition#inputSchema()},
 * {@link #describe}, the policy guard, then {@link #execute}.
 */
public interface OpsTool {

    ToolDefinition definition();

    /**
     * Names the resource this call touches and, for a mutating tool, previews the change; must not change
     * anything. Arguments have already passed schema validation.
     *
     * @throws ToolException when the resource is unknown or out of the configured scope
     */
    ActionDescriptor describe(ObjectNode args, ToolContext ctx);

    /**
     * Whether {@link #describe} only reads its arguments and the tool's configuration: no I/O, no lock it could wait
     * for, no remote call, bounded time. The gateway then runs it on the calling thread instead of handing it to a
     * tool thread that the deadline and the client's cancellation could interrupt (a describe like that has nothing
     * to interrupt). Default {@code false}: a describe that looks anything up remotely must keep the hand-off.
     */
    default boolean describesLocally() {
        return false;
    }

    /**
     * Whether {@link #execute} only reads its arguments and the tool's immutable configuration: no I/O, no lock it
     * could wait for, no remote call, no sleep, bounded and short CPU time (a list of configured items, say). The
     * gateway then runs it on the calling thread instead of handing it to a tool thread. The hand-off is what lets
     * the deadline answer the client while a tool that ignores its interrupt is still running; a local execute has
     * nothing to wait for, so it ends long before any deadline (one that ends after it still ends the call as timed
     * out, as the hand-off would). Default {@code false}: anything that connects, reads files or waits must keep the
     * hand-off.
     */
    default boolean executesLocally() {
        return false;
    }

    /**
     * Runs the call. Arguments have passed validation and the guard.
     *
     * @throws ToolException for failures the client should see (the gateway turns them into error results)
     */
    ToolResult execute(ObjectNode args, ToolContext ctx);
}
