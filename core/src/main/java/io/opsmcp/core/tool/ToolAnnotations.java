package io.opsmcp.core.tool;

/**
 * MCP tool annotations (spec 2025-06-18, {@code Tool.annotations}): hints a client shows to its user.
 * They are hints, not a security boundary: the guard decides from the {@link ActionDescriptor}.
 *
 * @param readOnlyHint    the tool does not modify its environment
 * @param destructiveHint the tool may perform destructive updates (meaningful only when not read-only)
 * @param idempotentHint  calling it again with the same arguments has no additional effect
 * @param openWorldHint   the tool talks to systems outside the server (AWS, GitLab, hosts)
 */
public record ToolAnnotations(
        boolean readOnlyHint, boolean destructiveHint, boolean idempotentHint, boolean openWorldHint) {

    /** A read-only, idempotent tool that reaches outside systems: the shape of every diagnostic. */
    public static ToolAnnotations readOnly() {
        return new ToolAnnotations(true, false, true, true);
    }

    /** A tool that changes something but cannot destroy it (restart, retry, scale up). */
    public static ToolAnnotations mutating(boolean idempotent) {
        return new ToolAnnotations(false, false, idempotent, true);
    }

    /** A tool that may destroy or stop something (scale to zero, delete, cancel). */
    public static ToolAnnotations destructive() {
        return new ToolAnnotations(false, true, false, true);
    }
}
