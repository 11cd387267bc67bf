package io.opsmcp.server.mcp;

import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import java.util.List;

/**
 * {@link McpFeatures} as the MCP Java SDK's stateless specifications ({@link McpStatelessServerFeatures}): the
 * same tools, resources, templates, prompts and completions, each handler called with a
 * {@link SessionlessExchange} built from the request's transport context, so that a stateless server serves
 * exactly what the session servers serve, through the same gateway and policy.
 */
record StatelessFeatures(
        List<McpStatelessServerFeatures.SyncToolSpecification> tools,
        List<McpStatelessServerFeatures.SyncResourceSpecification> resources,
        List<McpStatelessServerFeatures.SyncResourceTemplateSpecification> resourceTemplates,
        List<McpStatelessServerFeatures.SyncPromptSpecification> prompts,
        List<McpStatelessServerFeatures.SyncCompletionSpecification> completions) {

    static StatelessFeatures of(McpFeatures features) {
        return new StatelessFeatures(
                features.tools().stream()
                        .map(t -> new McpStatelessServerFeatures.SyncToolSpecification(
                                t.tool(),
                                (context, request) -> t.callHandler().apply(SessionlessExchange.of(context), request)))
                        .toList(),
                features.resources().stream()
                        .map(r -> new McpStatelessServerFeatures.SyncResourceSpecification(
                                r.resource(),
                                (context, request) -> r.readHandler().apply(SessionlessExchange.of(context), request)))
                        .toList(),
                features.resourceTemplates().stream()
                        .map(r -> new McpStatelessServerFeatures.SyncResourceTemplateSpecification(
                                r.resourceTemplate(),
                                (context, request) -> r.readHandler().apply(SessionlessExchange.of(context), request)))
                        .toList(),
                features.prompts().stream()
                        .map(p -> new McpStatelessServerFeatures.SyncPromptSpecification(
                                p.prompt(),
                                (context, request) ->
                                        p.promptHandler().apply(SessionlessExchange.of(context), request)))
                        .toList(),
                features.completions().stream()
                        .map(c -> new McpStatelessServerFeatures.SyncCompletionSpecification(
                                c.referenceKey(),
                                (context, request) ->
                                        c.completionHandler().apply(SessionlessExchange.of(context), request)))
                        .toList());
    }
}
