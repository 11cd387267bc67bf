package io.opsmcp.server.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpFeature;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncPrompt;
import io.modelcontextprotocol.modern.server.feature.McpSyncPromptRepository;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.PromptsFeature;
import io.modelcontextprotocol.modern.server.feature.PromptsPage;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link McpFeatures} for the 2026-07-28 revision ({@code io.modelcontextprotocol.modern}): the tools and the
 * prompts (with their completions), with the same definitions and the same handlers ({@link GatewayToolAdapter},
 * so every call passes the guard; {@link ToolsetContentAdapter}), each called with a {@link SessionlessExchange} of
 * the request's transport context. Definitions, requests and results are the same JSON in both revisions' schema
 * types, so they are converted through the JSON mapper rather than field by field.
 *
 * <p>Arguments are not validated here: the gateway validates them (naming the field and the rule) and audits a
 * rejected call; the SDK's own check would answer first and leave no audit record.
 */
final class ModernFeatures {

    /** Accepts every instance: the gateway is the one validator of arguments. */
    private static final JsonSchemaValidator GATEWAY_VALIDATES =
            (schema, instance) -> JsonSchemaValidator.ValidationResponse.asValid(null);

    private ModernFeatures() {}

    /** The features of the 2026-07-28 server. */
    static List<McpFeature> of(McpFeatures features, McpJsonMapper json) {
        return List.of(tools(features, json), prompts(features, json));
    }

    private static ToolsFeature tools(McpFeatures features, McpJsonMapper json) {
        Map<String, McpSyncTool> tools = new LinkedHashMap<>();
        for (SyncToolSpecification spec : features.tools()) {
            McpSchema.Tool definition = json.convertValue(spec.tool(), McpSchema.Tool.class);
            tools.put(definition.name(), McpSyncTool.of(definition, (ctx, request) -> call(spec, ctx, request, json)));
        }
        List<McpSchema.Tool> definitions =
                tools.values().stream().map(McpSyncTool::definition).toList();
        McpSyncToolRepository repository = new McpSyncToolRepository() {
            @Override
            public ToolsPage list(McpRequestContext ctx, String cursor) {
                return ToolsPage.of(definitions);
            }

            @Override
            public McpSyncTool find(McpRequestContext ctx, String name) {
                return tools.get(name);
            }
        };
        return ToolsFeature.ofSync(repository, json, GATEWAY_VALIDATES, 0L, McpSchema.CacheScope.PRIVATE);
    }

    private static McpSyncResponse<McpSchema.CallToolOutcome> call(
            SyncToolSpecification spec, McpRequestContext ctx, McpSchema.CallToolRequest request, McpJsonMapper json) {
        var legacyRequest = new io.modelcontextprotocol.spec.McpSchema.CallToolRequest(
                request.name(), request.arguments() == null ? Map.of() : request.arguments());
        var legacyResult = spec.callHandler().apply(SessionlessExchange.of(ctx.transportContext()), legacyRequest);
        return McpSyncResponse.result(json.convertValue(legacyResult, McpSchema.CallToolResult.class));
    }

    private static PromptsFeature prompts(McpFeatures features, McpJsonMapper json) {
        Map<String, McpSyncPrompt> prompts = new LinkedHashMap<>();
        for (SyncPromptSpecification spec : features.prompts()) {
            McpSchema.Prompt definition = json.convertValue(spec.prompt(), McpSchema.Prompt.class);
            McpSyncPrompt prompt = McpSyncPrompt.of(definition, (ctx, request) -> {
                var legacyRequest =
                        json.convertValue(request, io.modelcontextprotocol.spec.McpSchema.GetPromptRequest.class);
                var legacyResult =
                        spec.promptHandler().apply(SessionlessExchange.of(ctx.transportContext()), legacyRequest);
                return McpSyncResponse.result(json.convertValue(legacyResult, McpSchema.GetPromptResult.class));
            });
            SyncCompletionSpecification completion = features.completions().stream()
                    .filter(c -> c.referenceKey() instanceof io.modelcontextprotocol.spec.McpSchema.PromptReference ref
                            && definition.name().equals(ref.name()))
                    .findFirst()
                    .orElse(null);
            if (completion != null) {
                prompt = prompt.withCompletionHandler((ctx, request) -> {
                    var legacyRequest =
                            json.convertValue(request, io.modelcontextprotocol.spec.McpSchema.CompleteRequest.class);
                    var legacyResult = completion
                            .completionHandler()
                            .apply(SessionlessExchange.of(ctx.transportContext()), legacyRequest);
                    return json.convertValue(legacyResult, McpSchema.CompleteResult.class);
                });
            }
            prompts.put(definition.name(), prompt);
        }
        List<McpSchema.Prompt> definitions =
                prompts.values().stream().map(McpSyncPrompt::definition).toList();
        McpSyncPromptRepository repository = new McpSyncPromptRepository() {
            @Override
            public PromptsPage list(McpRequestContext ctx, String cursor) {
                return PromptsPage.of(definitions);
            }

            @Override
            public McpSyncPrompt find(McpRequestContext ctx, String name) {
                return prompts.get(name);
            }

            @Override
            public boolean supportsCompletion() {
                return true;
            }
        };
        return PromptsFeature.ofSync(repository, json, 0L, McpSchema.CacheScope.PRIVATE);
    }
}
