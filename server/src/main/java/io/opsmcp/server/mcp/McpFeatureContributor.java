package io.opsmcp.server.mcp;

/**
 * A server-side toolset that speaks MCP directly rather than through {@link io.opsmcp.core.tool.OpsTool}
 * (for example the {@code conformance} test fixtures, which need sampling, elicitation and rich content).
 * Found through {@link java.util.ServiceLoader} ({@code META-INF/services/io.opsmcp.server.mcp.McpFeatureContributor}).
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
