package io.opsmcp.server.mcp;

/**
 * A server-side toolset that speaks MCP directly rather than through {@link io.opsmcp.core.tool.OpsTool}
 * (for example the {@code conformance} fixtures, which need sampling, elicitation and rich content).
 * Enabled by name like any toolset.
 */
public interface McpFeatureContributor {

    /** Toolset name used in configuration ({@code toolsets}). */
    String name();

    /** One line for {@code ops-mcp tools} and error messages. */
    String description();

    /** Whether the toolset is left out unless named explicitly (test fixtures). */
    default boolean offByDefault() {
        return true;
    }

    McpFeatures features();
}
