package io.opsmcp.server.toolsets;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.server.mcp.SessionTools;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Discovery mode ({@code tools.discovery}): each MCP session's {@code tools/list} starts with
 * {@code toolsets_list}, {@code toolset_enable} and the tools of the always-on toolsets; a successful
 * {@code toolset_enable} adds that toolset's tools to the calling session only and sends it
 * {@code notifications/tools/list_changed}. A call to a tool the session does not list is refused as an unknown
 * tool, like a name the server does not have.
 *
 * <p>Per session: the MCP Java SDK filters {@code tools/list} per request ({@code McpSyncListFilter}) but gives the
 * filter only the transport context, so the HTTP transports put the session id there
 * ({@link SessionTools#SESSION_ID}); a stdio server has one session and no id. The notification goes to that session
 * alone through the transport's {@code notifyClient} (on streamable HTTP: its GET stream). State is kept per server
 * for at most {@value #MAX_SESSIONS} sessions, least recently used dropped first (that session then sees the starting
 * list again).
 */
public final class ToolDiscovery implements SessionTools {

    private static final Logger log = LoggerFactory.getLogger(ToolDiscovery.class);

    static final int MAX_SESSIONS = 10_000;

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final DiscoveryToolset toolsets;
    private final JsonMapper json;
    /** Tool name → its toolset, for the tools discovery mode hides until enabled. */
    private final Map<String, String> toolsetOf = new HashMap<>();

    /** @param toolsets the discovery tools and the catalog of toolsets they offer */
    public ToolDiscovery(DiscoveryToolset toolsets, JsonMapper json) {
        this.toolsets = toolsets;
        this.json = json;
        for (DiscoveryToolset.Entry e : toolsets.entries().values()) {
            if (!toolsets.alwaysOn().contains(e.name())) {
                e.tools().forEach(t -> toolsetOf.put(t, e.name()));
            }
        }
    }

    @Override
    public boolean listChanged() {
        return true;
    }

    @Override
    public PerServer forServer(McpServerTransportProviderBase transport, List<SyncToolSpecification> tools) {
        Sessions sessions = new Sessions();
        List<SyncToolSpecification> wrapped = new ArrayList<>();
        for (SyncToolSpecification spec : tools) {
            String name = spec.tool().name();
            if (name.equals(DiscoveryToolset.ENABLE)) {
                wrapped.add(withHandler(spec, (exchange, request) -> {
                    McpSchema.CallToolResult result = spec.callHandler().apply(exchange, request);
                    if (!Boolean.TRUE.equals(result.isError())
                            && request.arguments() != null
                            && request.arguments().get("toolset") instanceof String toolset
                            && !toolsets.alwaysOn().contains(toolset)
                            && sessions.enable(key(exchange.transportContext()), toolset)) {
                        notifyListChanged(transport, exchange);
                    }
                    return result;
                }));
            } else if (name.equals(DiscoveryToolset.LIST)) {
                wrapped.add(withHandler(spec, (exchange, request) -> {
                    McpSchema.CallToolResult result = spec.callHandler().apply(exchange, request);
                    return Boolean.TRUE.equals(result.isError())
                            ? result
                            : toMcp(toolsets.listing(sessions.enabled(key(exchange.transportContext()))));
                }));
            } else if (toolsetOf.containsKey(name)) {
                String toolset = toolsetOf.get(name);
                wrapped.add(withHandler(spec, (exchange, request) -> {
                    if (!sessions.enabled(key(exchange.transportContext())).contains(toolset)) {
                        throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS)
                                .message("Unknown tool: '" + name + "' is not listed in this session; it belongs to"
                                        + " toolset " + toolset + ": call " + DiscoveryToolset.ENABLE
                                        + " with that toolset first")
                                .data(Map.of("tool", name, "toolset", toolset))
                                .build();
                    }
                    return spec.callHandler().apply(exchange, request);
                }));
            } else {
                wrapped.add(spec); // always listed: the discovery tools' peers, always-on toolsets, MCP-level tools
            }
        }
        return new PerServer(wrapped, (context, tool) -> {
            String toolset = toolsetOf.get(tool.name());
            return toolset == null || sessions.enabled(key(context)).contains(toolset);
        });
    }

    /** The session a request belongs to; {@code ""} for the one session of a stdio server. */
    private static String key(McpTransportContext context) {
        return context != null && context.get(SESSION_ID) instanceof String id ? id : "";
    }

    private static void notifyListChanged(McpServerTransportProviderBase transport, McpSyncServerExchange exchange) {
        try {
            transport
                    .notifyClient(exchange.sessionId(), McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED, null)
                    .block();
        } catch (RuntimeException e) {
            // The list did change; a client that cannot be told (no GET stream open) sees it on its next tools/list.
            log.debug("notifications/tools/list_changed not delivered to session {}: {}", exchange.sessionId(), e);
        }
    }

    private static SyncToolSpecification withHandler(
            SyncToolSpecification spec,
            BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> handler) {
        return SyncToolSpecification.builder()
                .tool(spec.tool())
                .callHandler(handler)
                .build();
    }

    private McpSchema.CallToolResult toMcp(ToolResult result) {
        var builder =
                McpSchema.CallToolResult.builder().addTextContent(result.text()).isError(result.error());
        if (result.structuredContent() != null) {
            builder.structuredContent(json.convertValue(result.structuredContent(), MAP));
        }
        return builder.build();
    }

    /** The toolsets each session of one server has enabled, for the most recently active sessions. */
    private static final class Sessions {
        private final Map<String, Set<String>> enabled = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                return size() > MAX_SESSIONS;
            }
        };

        /** Adds {@code toolset} for the session; whether its list changed. */
        synchronized boolean enable(String session, String toolset) {
            return enabled.computeIfAbsent(session, s -> new HashSet<>()).add(toolset);
        }

        synchronized Set<String> enabled(String session) {
            Set<String> set = enabled.get(session);
            return set == null ? Set.of() : Collections.unmodifiableSet(new HashSet<>(set));
        }
    }
}
