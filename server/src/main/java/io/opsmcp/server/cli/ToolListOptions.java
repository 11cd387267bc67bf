package io.opsmcp.server.cli;

import io.opsmcp.server.config.ConfigLoader;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The tool-list flags of {@code serve} and {@code tools}; each overrides its {@code tools.*} setting (a pattern list
 * given here replaces the configured one).
 */
public final class ToolListOptions {

    @Option(
            names = "--read-only",
            description = "Publish only read-only tools: tools that change something are not listed and cannot be"
                    + " called (tools.read_only).")
    Boolean readOnly;

    @Option(
            names = "--tools-include",
            paramLabel = "PATTERN",
            description = "Publish only tools whose name matches one of these patterns (* = any characters, e.g."
                    + " 'ecs_*'); repeatable (tools.include).")
    List<String> include;

    @Option(
            names = "--tools-exclude",
            paramLabel = "PATTERN",
            description = "Leave out tools whose name matches (after --tools-include); repeatable (tools.exclude).")
    List<String> exclude;

    @Option(
            names = "--tool-discovery",
            description = "Discovery mode: each session starts with toolsets_list and toolset_enable and adds"
                    + " toolsets as it needs them (tools.discovery).")
    Boolean discovery;

    ConfigLoader.ToolFlags flags() {
        return new ConfigLoader.ToolFlags(readOnly, include, exclude, discovery);
    }
}
