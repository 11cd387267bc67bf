package io.opsmcp.server.mcp;

import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.RequestStateCodec;

/**
 * The 2026-07-28 revision's {@code requestState} for ops-mcp: none. A feature that answers "input required" hands the
 * client a sealed state to send back with its retry; ops-mcp's tools, prompts and completions never do (approvals
 * are out of band and bound to the call, not to a state the client carries), so no state is ever sealed and any
 * {@code requestState} a client sends is foreign and refused as invalid params by the SDK.
 *
 * <p>Why not the SDK's default {@code HmacRequestStateCodec}: without a configured key it makes a per-process key and
 * warns on every start that replicas cannot open each other's state. Having no state is the stronger property:
 * nothing to share between replicas behind a load balancer, and nothing to forge.
 */
public final class NoRequestState implements RequestStateCodec {

    /** @throws IllegalStateException always: ops-mcp never asks a client for input through {@code requestState} */
    @Override
    public String seal(McpRequestContext ctx, String state) {
        throw new IllegalStateException("ops-mcp issues no requestState (2026-07-28 input-required flow)");
    }

    /** @return {@code null} for every value: no state was ever issued, so none can be opened */
    @Override
    public String open(McpRequestContext ctx, String sealed) {
        return null;
    }
}
