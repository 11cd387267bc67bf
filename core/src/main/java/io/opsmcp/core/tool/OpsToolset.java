package io.opsmcp.core.tool;

import java.util.List;

/**
 * What one tool module contributes under one name ({@code hosts}, {@code aws}, {@code gitlab}).
 * Toolsets are enabled by name in configuration.
 */
public interface OpsToolset {

    /** Name used in configuration and in the policy input ({@code input.tool.toolset}). */
    String name();

    /** One line for {@code ops-mcp tools} and for errors that list the available toolsets. */
    String description();

    List<OpsTool> tools();
}
