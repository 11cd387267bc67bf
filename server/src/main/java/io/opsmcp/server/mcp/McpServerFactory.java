package io.opsmcp.server.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Duration;

/**
 * Builds one MCP server (MCP Java SDK {@link McpSyncServer}) per transport from the same {@link McpFeatures}.
 * Capabilities: tools, resources (with subscriptions, see {@link ResourceSubscriptions}), prompts, completions and
 * logging (tool progress and log messages, see {@link GatewayToolAdapter}); ping and progress are part of the base
 * protocol.
 */
public final class McpServerFactory {

    /** Sent to clients in {@code initialize}; tells the model how to use the server. */
    static final String INSTRUCTIONS = """
            ops-mcp gives you operations tools for the systems this server is configured for: Linux hosts over \
            SSH (host_*), and, where enabled, AWS and GitLab. Start with host_list to see which hosts you may \
            inspect. Tools are read-only unless their annotations say otherwise; every call is checked and \
            audited. Results are capped in size; ask for fewer rows or a narrower time range when a result \
            says it was truncated.""";

    /**
     * What a session server ({@link #create(McpServerTransportProvider)}, {@link
     * #create(McpStreamableServerTransportProvider)}) tells a client in its {@code initialize} result besides the
     * protocol version: {@code serverInfo}, {@code instructions} and {@code capabilities} (tools, resources with
     * subscriptions, prompts, completions, logging).
     */
    public record Identity(
            McpSchema.Implementation serverInfo, String instructions, McpSchema.ServerCapabilities capabilities) {}

    /**
     * The identity of this build's session servers.
     *
     * @param version          the server's version ({@code serverInfo.version})
     * @param toolsListChanged whether a session's tool list can change ({@link SessionTools#listChanged()}: true in
     *                         discovery mode)
     */
    public static Identity identity(String version, boolean toolsListChanged) {
        return new Identity(
                new McpSchema.Implementation("ops-mcp", "ops-mcp", version),
                INSTRUCTIONS,
                McpSchema.ServerCapabilities.builder()
                        .tools(toolsListChanged)
                        .resources(true, true)
                        .prompts(true)
                        .completions()
                        .logging()
                        .build());
    }

    private final McpFeatures features;
    private final McpJsonMapper jsonMapper;
    private final String version;
    private final Duration requestTimeout;
    private final SessionTools sessionTools;
    private final ResourceSubscriptions subscriptions;

    /**
     * @param requestTimeout how long the server waits for a client's answer to a server-initiated request
     *                       (sampling, elicitation, roots)
     * @param sessionTools   what each session sees of the tools (discovery mode), {@link SessionTools#EVERY_TOOL}
     *                       otherwise
     * @param subscriptions  the resource subscriptions of every session, which the transports record
     */
    public McpServerFactory(
            McpFeatures features,
            McpJsonMapper jsonMapper,
            String version,
            Duration requestTimeout,
            SessionTools sessionTools,
            ResourceSubscriptions subscriptions) {
        this.features = features;
        this.jsonMapper = jsonMapper;
        this.version = version;
        this.requestTimeout = requestTimeout;
        this.sessionTools = sessionTools;
        this.subscriptions = subscriptions;
    }

    /** The identity of the session servers this factory makes. */
    public Identity identity() {
        return identity(version, sessionTools.listChanged());
    }

    /** The resource subscriptions the transports record and the guard's changes are announced to. */
    public ResourceSubscriptions subscriptions() {
        return subscriptions;
    }

    /** A server for a single-session transport (stdio, legacy HTTP+SSE). */
    public McpSyncServer create(McpServerTransportProvider transport) {
        return configure(McpServer.sync(transport), transport);
    }

    /**
     * A server for the streamable HTTP transport. Its tool calls run on the servlet thread that received the request
     * ({@code immediateExecution}): that thread waits for the answer anyway, so handing the call to Reactor's
     * bounded-elastic pool only added two thread switches per call. Cancellation and answers to server-initiated
     * requests arrive on other requests' threads, so nothing waits on the blocked one. (The single-session servers keep
     * the hand-off: stdio's one reading thread must stay free to read the next message, a cancellation for one.)
     */
    public McpSyncServer create(McpStreamableServerTransportProvider transport) {
        return configure(McpServer.sync(transport).immediateExecution(true), transport);
    }

    /**
     * A server for stateless streamable HTTP (replicas behind a load balancer): no sessions, every request
     * answered on its own. Capabilities: tools, resources, prompts and completions, without list-changed,
     * subscriptions or logging, which need a channel back to the client that a stateless server does not have.
     */
    public McpStatelessSyncServer createStateless(McpStatelessServerTransport transport) {
        StatelessFeatures stateless = StatelessFeatures.of(features);
        return McpServer.sync(transport)
                .serverInfo(new McpSchema.Implementation("ops-mcp", "ops-mcp", version))
                .instructions(INSTRUCTIONS)
                .jsonMapper(jsonMapper)
                .requestTimeout(requestTimeout)
                .validateToolInputs(false)
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(false)
                        .resources(false, false)
                        .prompts(false)
                        .completions()
                        .build())
                .tools(stateless.tools())
                .resources(stateless.resources())
                .resourceTemplates(stateless.resourceTemplates())
                .prompts(stateless.prompts())
                .completions(stateless.completions())
                .build();
    }

    /**
     * A server for the 2026-07-28 revision ({@code io.modelcontextprotocol.modern}): stateless by design, every
     * request carries its protocol version and client capabilities in {@code _meta}; {@code server/discover}
     * describes the server. Serves the tools (through the gateway) and the prompts with their completions
     * ({@link ModernFeatures}).
     */
    public io.modelcontextprotocol.modern.server.McpServer createModern() {
        return io.modelcontextprotocol.modern.server.McpServer.builder()
                .serverInfo(new io.modelcontextprotocol.modern.McpSchema.Implementation(
                        "ops-mcp", "ops-mcp", version, null, null, null))
                .instructions(INSTRUCTIONS)
                .jsonMapper(jsonMapper)
                .features(ModernFeatures.of(features, jsonMapper))
                // no feature asks for input through requestState: nothing to seal, so nothing replicas must share
                .requestStateCodec(new NoRequestState())
                .build();
    }

    private <S extends McpServer.SyncSpecification<S>> McpSyncServer configure(
            McpServer.SyncSpecification<S> spec, McpServerTransportProviderBase transport) {
        SessionTools.PerServer tools = sessionTools.forServer(transport, features.tools());
        // the SDK's schema validator is made when a schema is first checked after the build, not by the build
        LazyJsonSchemaValidator validator = new LazyJsonSchemaValidator();
        Identity identity = identity();
        McpSyncServer server = spec.serverInfo(identity.serverInfo())
                .instructions(identity.instructions())
                .jsonMapper(jsonMapper)
                .requestTimeout(requestTimeout)
                // Arguments are validated by the ToolGateway, which names the field and the rule in its errors.
                .validateToolInputs(false)
                .jsonSchemaValidator(validator)
                .capabilities(identity.capabilities())
                .tools(tools.tools())
                .toolFilters(filters -> {
                    if (tools.filter() != null) {
                        filters.add(tools.filter());
                    }
                })
                .resources(features.resources())
                .resourceTemplates(features.resourceTemplates())
                .prompts(features.prompts())
                .completions(features.completions())
                .build();
        validator.definitionsChecked();
        return server;
    }
}
