package io.opsmcp.server.mcp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.util.DefaultMcpUriTemplateManager;
import io.opsmcp.core.prompt.OpsPrompt;
import io.opsmcp.core.redact.Redactor;
import io.opsmcp.core.resource.OpsResource;
import io.opsmcp.core.resource.OpsResourceTemplate;
import io.opsmcp.core.resource.ResourceContent;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolException;

/**
 * Publishes what toolsets contribute besides tools: resources ({@code resources/list}, {@code resources/read}),
 * resource templates, prompts ({@code prompts/list}, {@code prompts/get}) and completions
 * ({@code completion/complete}) for prompt arguments and template variables. A prompt or template that offers
 * no completion for an argument falls back to the toolsets' own completions for well-known argument names
 * ({@code host}, {@code cluster}, {@code project}, …). Content is redacted before it leaves the server.
 */
public final class ToolsetContentAdapter {

    private static final Logger log = LoggerFactory.getLogger(ToolsetContentAdapter.class);
    private static final int MAX_COMPLETIONS = 100;

    private final List<OpsToolset> toolsets;
    private final GatewayToolAdapter.PrincipalResolver principals;
    private final Redactor redactor;

    public ToolsetContentAdapter(List<OpsToolset> toolsets, GatewayToolAdapter.PrincipalResolver principals,
                                 Redactor redactor) {
        this.toolsets = List.copyOf(toolsets);
        this.principals = principals;
        this.redactor = redactor;
    }

    /** The SDK specifications for every resource, template and prompt of the toolsets. */
    public McpFeatures features() {
        List<SyncResourceSpecification> resources = new ArrayList<>();
        List<SyncResourceTemplateSpecification> templates = new ArrayList<>();
        List<SyncPromptSpecification> prompts = new ArrayList<>();
        List<SyncCompletionSpecification> completions = new ArrayList<>();
        for (OpsToolset toolset : toolsets) {
            for (OpsResource resource : toolset.resources()) {
                OpsResource.Definition d = resource.definition();
                var spec = McpSchema.Resource.builder(d.uri(), d.name()).title(d.title()).description(d.description())
                        .mimeType(d.mimeType()).build();
                resources.add(new SyncResourceSpecification(spec,
                        (exchange, request) -> read(request.uri(), () -> resource.read(principals.resolve(exchange)))));
            }
            for (OpsResourceTemplate template : toolset.resourceTemplates()) {
                OpsResourceTemplate.Definition d = template.definition();
                var spec = McpSchema.ResourceTemplate.builder(d.uriTemplate(), d.name()).title(d.title())
                        .description(d.description()).mimeType(d.mimeType()).build();
                var matcher = new DefaultMcpUriTemplateManager(d.uriTemplate());
                templates.add(new SyncResourceTemplateSpecification(spec, (exchange, request) -> read(request.uri(),
                        () -> template.read(request.uri(), matcher.extractVariableValues(request.uri()),
                                principals.resolve(exchange)))));
                completions.add(new SyncCompletionSpecification(new McpSchema.ResourceReference(d.uriTemplate()),
                        (exchange, request) -> complete(request, template::complete)));
            }
            for (OpsPrompt prompt : toolset.prompts()) {
                prompts.add(promptSpec(prompt));
                completions.add(new SyncCompletionSpecification(new McpSchema.PromptReference(prompt.definition().name()),
                        (exchange, request) -> complete(request, prompt::complete)));
            }
        }
        return new McpFeatures(List.of(), resources, templates, prompts, completions);
    }

    private SyncPromptSpecification promptSpec(OpsPrompt prompt) {
        OpsPrompt.Definition d = prompt.definition();
        List<McpSchema.PromptArgument> arguments = d.arguments().stream()
                .map(a -> new McpSchema.PromptArgument(a.name(), a.description(), a.required()))
                .toList();
        var spec = new McpSchema.Prompt(d.name(), d.title(), d.description(), arguments);
        return new SyncPromptSpecification(spec, (McpSyncServerExchange exchange, McpSchema.GetPromptRequest request) -> {
            Map<String, String> args = new java.util.HashMap<>();
            if (request.arguments() != null) {
                request.arguments().forEach((k, v) -> args.put(k, v == null ? null : String.valueOf(v)));
            }
            try {
                List<McpSchema.PromptMessage> messages = prompt.render(args).stream()
                        .map(m -> new McpSchema.PromptMessage(
                                "assistant".equals(m.role()) ? McpSchema.Role.ASSISTANT : McpSchema.Role.USER,
                                new McpSchema.TextContent(redactor.redact(m.text()))))
                        .toList();
                return new McpSchema.GetPromptResult(d.description(), messages);
            } catch (ToolException e) {
                throw error(e);
            }
        });
    }

    private McpSchema.ReadResourceResult read(String uri, java.util.function.Supplier<ResourceContent> reader) {
        try {
            ResourceContent content = reader.get();
            return new McpSchema.ReadResourceResult(List.of(
                    new McpSchema.TextResourceContents(content.uri(), content.mimeType(), redactor.redact(content.text()))));
        } catch (ToolException e) {
            throw error(e);
        } catch (RuntimeException e) {
            log.error("reading {} failed: {}", uri, redactor.redact(String.valueOf(e)));
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message("reading " + uri + " failed").build();
        }
    }

    private McpSchema.CompleteResult complete(McpSchema.CompleteRequest request,
                                              CompletionSource own) {
        String argument = request.argument().name();
        String prefix = request.argument().value();
        Map<String, String> context = request.context() == null || request.context().arguments() == null
                ? Map.of() : request.context().arguments();
        Set<String> values = new LinkedHashSet<>(own.complete(argument, prefix));
        if (values.isEmpty()) {
            for (OpsToolset toolset : toolsets) {
                values.addAll(toolset.complete(argument, prefix, context));
            }
        }
        List<String> all = new ArrayList<>(values);
        List<String> page = all.size() > MAX_COMPLETIONS ? all.subList(0, MAX_COMPLETIONS) : all;
        return new McpSchema.CompleteResult(new McpSchema.CompleteResult.CompleteCompletion(
                List.copyOf(page), all.size(), all.size() > MAX_COMPLETIONS));
    }

    @FunctionalInterface
    private interface CompletionSource {
        List<String> complete(String argument, String prefix);
    }

    private McpError error(ToolException e) {
        int code = switch (e.kind()) {
            case NOT_FOUND -> McpSchema.ErrorCodes.RESOURCE_NOT_FOUND;
            case INVALID_ARGUMENT -> McpSchema.ErrorCodes.INVALID_PARAMS;
            default -> McpSchema.ErrorCodes.INTERNAL_ERROR;
        };
        return McpError.builder(code).message(redactor.redact(e.getMessage())).build();
    }
}
