package io.opsmcp.server.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the MCP server offers, as MCP Java SDK specifications: tools, resources, resource templates,
 * prompts and completion handlers. Each transport's server is built from the same instance.
 */
public record McpFeatures(
        List<SyncToolSpecification> tools,
        List<SyncResourceSpecification> resources,
        List<SyncResourceTemplateSpecification> resourceTemplates,
        List<SyncPromptSpecification> prompts,
        List<SyncCompletionSpecification> completions) {

    public McpFeatures {
        tools = List.copyOf(tools);
        resources = List.copyOf(resources);
        resourceTemplates = List.copyOf(resourceTemplates);
        prompts = List.copyOf(prompts);
        completions = List.copyOf(completions);
    }

    public static final McpFeatures EMPTY = new McpFeatures(List.of(), List.of(), List.of(), List.of(), List.of());

    /** This set followed by {@code other}'s. */
    public McpFeatures plus(McpFeatures other) {
        return new McpFeatures(
                concat(tools, other.tools),
                concat(resources, other.resources),
                concat(resourceTemplates, other.resourceTemplates),
                concat(prompts, other.prompts),
                concat(completions, other.completions));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
