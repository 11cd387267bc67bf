package io.opsmcp.core.tool;

import java.util.List;

/**
 * What one tool module contributes under one name ({@code hosts}, {@code aws}, {@code gitlab}).
 * Toolsets are enabled by name in configuration.
 */
public interface OpsToolset extends AutoCloseable {

    /** Name used in configuration and in the policy input ({@code input.tool.toolset}). */
    String name();

    /** One line for {@code ops-mcp tools} and for errors that list the available toolsets. */
    String description();

    List<OpsTool> tools();

    /** Releases what the toolset holds (connection pools, threads); called once at shutdown. */
    @Override
    default void close() {
    }
}
