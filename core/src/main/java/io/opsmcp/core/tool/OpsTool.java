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
     * Runs the call. Arguments have passed validation and the guard.
     *
     * @throws ToolException for failures the client should see (the gateway turns them into error results)
     */
    ToolResult execute(ObjectNode args, ToolContext ctx);
}
