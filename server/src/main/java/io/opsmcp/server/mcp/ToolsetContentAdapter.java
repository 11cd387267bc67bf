package io.opsmcp.server.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.util.DefaultMcpUriTemplateManager;
import io.opsmcp.core.prompt.OpsPrompt;
import io.opsmcp.core.resource.OpsResource;
import io.opsmcp.core.resource.OpsResourceTemplate;
import io.opsmcp.core.resource.ResourceContent;
import io.opsmcp.core.resource.Visibility;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.guard.GuardUnavailableException;
import io.opsmcp.guard.audit.AuditEvent.Phase;
import io.opsmcp.guard.audit.AuditEvent.PolicyDecision;
import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.Guard;
import io.opsmcp.guard.policy.PolicyInput;
import io.opsmcp.toolkit.redact.Redactor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes what toolsets contribute besides tools: resources ({@code resources/list}, {@code resources/read}),
 * resource templates, prompts ({@code prompts/list}, {@code prompts/get}) and completions
 * ({@code completion/complete}) for prompt arguments and template variables. A prompt or template that offers
 * no completion for an argument falls back to the toolsets' own completions for well-known argument names
 * ({@code host}, {@code cluster}, {@code project}, …). Content is redacted before it leaves the server.
 *
 * <p>Every resource read, template read and completion passes the guard's policy as a read of what it reveals
 * ({@code input.action} {@code resources/read} or {@code completion/complete}): a denied read is an error naming
 * the policy's reasons; a resource made of parts (pending approvals) shows only the parts the caller may read;
 * a completion shows only values that name something the caller may read (a value whose resource cannot be
 * described is not shown). Each request is audited once. When the policy or the store never opened (the server's
 * start, {@link GuardUnavailableException}) nothing can be decided: the request is answered with a JSON-RPC internal
 * error ({@code -32603}) whose message is the guard's, saying what did not open and what to do.
 */
public final class ToolsetContentAdapter {

    private static final Logger log = LoggerFactory.getLogger(ToolsetContentAdapter.class);
    private static final int MAX_COMPLETIONS = 100;

    private final List<OpsToolset> toolsets;
    private final GatewayToolAdapter.PrincipalResolver principals;
    private final Redactor redactor;
    private final Guard guard;

    public ToolsetContentAdapter(
            List<OpsToolset> toolsets,
            GatewayToolAdapter.PrincipalResolver principals,
            Redactor redactor,
            Guard guard) {
        this.toolsets = List.copyOf(toolsets);
        this.principals = principals;
        this.redactor = redactor;
        this.guard = guard;
    }

    /** The SDK specifications for every resource, template and prompt of the toolsets. */
    public McpFeatures features() {
        List<SyncResourceSpecification> resources = new ArrayList<>();
        List<SyncResourceTemplateSpecification> templates = new ArrayList<>();
        List<SyncPromptSpecification> prompts = new ArrayList<>();
        List<SyncCompletionSpecification> completions = new ArrayList<>();
        for (OpsToolset toolset : toolsets) {
            String ts = toolset.name();
            for (OpsResource resource : toolset.resources()) {
                OpsResource.Definition d = resource.definition();
                var spec = McpSchema.Resource.builder(d.uri(), d.name())
                        .title(d.title())
                        .description(d.description())
                        .mimeType(d.mimeType())
                        .build();
                resources.add(new SyncResourceSpecification(spec, (exchange, request) -> {
                    Principal caller = principals.resolve(exchange);
                    return read(
                            caller, ts, request.uri(), resource::reveals, visible -> resource.read(caller, visible));
                }));
            }
            for (OpsResourceTemplate template : toolset.resourceTemplates()) {
                OpsResourceTemplate.Definition d = template.definition();
                var spec = McpSchema.ResourceTemplate.builder(d.uriTemplate(), d.name())
                        .title(d.title())
                        .description(d.description())
                        .mimeType(d.mimeType())
                        .build();
                var matcher = new DefaultMcpUriTemplateManager(d.uriTemplate());
                templates.add(new SyncResourceTemplateSpecification(spec, (exchange, request) -> {
                    Principal caller = principals.resolve(exchange);
                    Map<String, String> variables = matcher.extractVariableValues(request.uri());
                    return read(
                            caller,
                            ts,
                            request.uri(),
                            () -> template.reveals(request.uri(), variables),
                            visible -> template.read(request.uri(), variables, caller));
                }));
                completions.add(new SyncCompletionSpecification(
                        new McpSchema.ResourceReference(d.uriTemplate()),
                        (exchange, request) -> complete(
                                principals.resolve(exchange),
                                ts,
                                d.uriTemplate(),
                                request,
                                template::complete,
                                (argument, value) -> template.reveals(
                                        d.uriTemplate().replace("{" + argument + "}", value),
                                        Map.of(argument, value)))));
            }
            for (OpsPrompt prompt : toolset.prompts()) {
                prompts.add(promptSpec(prompt));
                String name = prompt.definition().name();
                // A prompt's own suggestions come from its file: they reveal the prompt, nothing else.
                completions.add(new SyncCompletionSpecification(
                        new McpSchema.PromptReference(name),
                        (exchange, request) -> complete(
                                principals.resolve(exchange),
                                ts,
                                "prompt " + name,
                                request,
                                prompt::complete,
                                (argument, value) -> ActionDescriptor.read("local", "prompt", null, name, Map.of()))));
            }
        }
        return new McpFeatures(List.of(), resources, templates, prompts, completions);
    }

    /**
     * Whether the policy lets {@code caller} read {@code uri} now, as {@code resources/read} would decide it (the
     * resource or template of some toolset that serves the URI, and what reading it reveals); {@code false} for a
     * URI no toolset serves or whose description fails. Used to decide who gets
     * {@code notifications/resources/updated}.
     */
    public boolean mayRead(Principal caller, String uri) {
        try {
            for (OpsToolset toolset : toolsets) {
                for (OpsResource resource : toolset.resources()) {
                    if (resource.definition().uri().equals(uri)) {
                        return allowed(caller, uri, toolset.name(), resource.reveals());
                    }
                }
                for (OpsResourceTemplate template : toolset.resourceTemplates()) {
                    var matcher = new DefaultMcpUriTemplateManager(
                            template.definition().uriTemplate());
                    if (matcher.matches(uri)) {
                        var variables = matcher.extractVariableValues(uri);
                        return allowed(caller, uri, toolset.name(), template.reveals(uri, variables));
                    }
                }
            }
            return false;
        } catch (RuntimeException e) {
            // ToolException included: a URI that cannot be described cannot be decided, so it is not readable
            return false;
        }
    }

    private boolean allowed(Principal caller, String uri, String toolset, ActionDescriptor revealed) {
        return guard.decideRead(caller, PolicyInput.RESOURCES_READ, uri, toolset, revealed) instanceof Decision.Allow;
    }

    private SyncPromptSpecification promptSpec(OpsPrompt prompt) {
        OpsPrompt.Definition d = prompt.definition();
        List<McpSchema.PromptArgument> arguments = d.arguments().stream()
                .map(a -> new McpSchema.PromptArgument(a.name(), a.description(), a.required()))
                .toList();
        var spec = new McpSchema.Prompt(d.name(), d.title(), d.description(), arguments);
        return new SyncPromptSpecification(
                spec, (McpSyncServerExchange exchange, McpSchema.GetPromptRequest request) -> {
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

    /** Decides, reads (showing only visible parts), redacts and audits one resource read. */
    private McpSchema.ReadResourceResult read(
            Principal caller,
            String toolset,
            String uri,
            Supplier<ActionDescriptor> reveals,
            Function<Visibility, ResourceContent> reader) {
        long t0 = System.nanoTime();
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("uri", bounded(uri));
        String action = PolicyInput.RESOURCES_READ;
        Guard.ReadRequest request = new Guard.ReadRequest(caller, action, uri, toolset, null, args);
        try {
            ActionDescriptor revealed = reveals.get();
            request = request.revealing(revealed);
            Decision decision = guard.decideRead(caller, action, uri, toolset, revealed);
            if (!(decision instanceof Decision.Allow)) {
                guard.recordRead(request, PolicyDecision.DENY, decision.reasons(), Phase.DENIED, null, ms(t0));
                throw McpError.builder(McpSchema.ErrorCodes.INVALID_REQUEST)
                        .message("Denied by policy: " + String.join("; ", decision.reasons()))
                        .build();
            }
            Visibility visible = part -> guard.decideRead(caller, action, uri, toolset, part) instanceof Decision.Allow;
            ResourceContent content = reader.apply(visible);
            guard.recordRead(request, PolicyDecision.ALLOW, decision.reasons(), Phase.SUCCEEDED, null, ms(t0));
            return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                    content.uri(), content.mimeType(), redactor.redact(content.text()))));
        } catch (McpError e) {
            throw e;
        } catch (ToolException e) {
            McpError error = error(e);
            guard.recordRead(request, null, List.of(), Phase.FAILED, error.getMessage(), ms(t0));
            throw error;
        } catch (GuardUnavailableException e) {
            guard.recordRead(request, null, List.of(), Phase.FAILED, "store or policy not open", ms(t0));
            throw unavailable(e);
        } catch (RuntimeException e) {
            log.error("reading {} failed: {}", uri, redactor.redact(String.valueOf(e)));
            guard.recordRead(request, null, List.of(), Phase.FAILED, "internal error", ms(t0));
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                    .message("reading " + uri + " failed")
                    .build();
        }
    }

    /**
     * Completion values the caller may see: each names a resource ({@code describe}, or the toolsets'
     * {@link OpsToolset#describeCompletion} for their fallback values) that the policy must let the caller read.
     */
    private McpSchema.CompleteResult complete(
            Principal caller,
            String toolset,
            String reference,
            McpSchema.CompleteRequest request,
            CompletionSource own,
            BiFunction<String, String, ActionDescriptor> describe) {
        try {
            return decideCompletion(caller, toolset, reference, request, own, describe);
        } catch (GuardUnavailableException e) {
            throw unavailable(e);
        }
    }

    private McpSchema.CompleteResult decideCompletion(
            Principal caller,
            String toolset,
            String reference,
            McpSchema.CompleteRequest request,
            CompletionSource own,
            BiFunction<String, String, ActionDescriptor> describe) {
        long t0 = System.nanoTime();
        String argument = request.argument().name();
        String prefix = request.argument().value();
        Map<String, String> context =
                request.context() == null || request.context().arguments() == null
                        ? Map.of()
                        : request.context().arguments();
        Map<String, ActionDescriptor> values = new LinkedHashMap<>();
        for (String v : own.complete(argument, prefix)) {
            values.putIfAbsent(v, describeOrNull(() -> describe.apply(argument, v)));
        }
        if (values.isEmpty()) {
            for (OpsToolset t : toolsets) {
                for (String v : t.complete(argument, prefix, context)) {
                    values.putIfAbsent(v, describeOrNull(() -> t.describeCompletion(argument, v, context)));
                }
            }
        }
        Map<ActionDescriptor, Boolean> decided = new HashMap<>();
        List<String> all = new ArrayList<>();
        int hidden = 0;
        for (var e : values.entrySet()) {
            boolean show = e.getValue() != null
                    && decided.computeIfAbsent(
                            e.getValue(),
                            r -> guard.decideRead(caller, PolicyInput.COMPLETION, reference, toolset, r)
                                    instanceof Decision.Allow);
            if (show) {
                all.add(e.getKey());
            } else {
                hidden++;
            }
        }
        ObjectNode args = JsonNodeFactory.instance
                .objectNode()
                .put("argument", bounded(argument))
                .put("prefix", bounded(prefix));
        guard.recordRead(
                new Guard.ReadRequest(caller, PolicyInput.COMPLETION, reference, toolset, null, args),
                hidden > 0 && all.isEmpty() ? PolicyDecision.DENY : PolicyDecision.ALLOW,
                List.of("shown " + all.size() + " of " + values.size() + " values; " + hidden + " hidden by policy"),
                Phase.SUCCEEDED,
                null,
                ms(t0));
        List<String> page = all.size() > MAX_COMPLETIONS ? all.subList(0, MAX_COMPLETIONS) : all;
        return new McpSchema.CompleteResult(new McpSchema.CompleteResult.CompleteCompletion(
                List.copyOf(page), all.size(), all.size() > MAX_COMPLETIONS));
    }

    private static ActionDescriptor describeOrNull(Supplier<ActionDescriptor> describe) {
        try {
            return describe.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String bounded(String text) {
        return text == null ? null : text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private static long ms(long t0) {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    @FunctionalInterface
    private interface CompletionSource {
        List<String> complete(String argument, String prefix);
    }

    /** A request that cannot be decided because the store or the policy never opened: the guard's message, redacted. */
    private McpError unavailable(GuardUnavailableException e) {
        return McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                .message(redactor.redact(e.getMessage()))
                .build();
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
