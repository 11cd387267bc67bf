package io.opsmcp.server.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncListFilter;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import java.util.List;

/**
 * Shapes the tool list each MCP session sees (discovery mode, {@code tools.discovery}); {@link #EVERY_TOOL} lists
 * every published tool to every session. {@link McpServerFactory} asks once per server for that server's tools and
 * its {@code tools/list} filter.
 */
public interface SessionTools {

    /**
     * Key of the transport context under which the HTTP transports put the MCP session id of a request (the
     * {@code Mcp-Session-Id} header, or the SSE transport's {@code sessionId}); absent on stdio, whose server has
     * exactly one session.
     */
    String SESSION_ID = "io.opsmcp.session-id";

    /** Whether a session's tool list can change: the server then declares {@code tools.listChanged}. */
    boolean listChanged();

    /**
     * The tools and the {@code tools/list} filter of one server.
     *
     * @param transport the server's transport, through which per-session notifications are sent
     * @param tools     every published tool
     */
    PerServer forServer(McpServerTransportProviderBase transport, List<SyncToolSpecification> tools);

    /**
     * @param tools  the tool specifications the server registers (call handlers may be wrapped)
     * @param filter decides per request which tools {@code tools/list} shows; {@code null}: every tool, and no filter
     *               is installed (the SDK runs a filter per tool on another thread, which would let later requests
     *               overtake {@code tools/list})
     */
    record PerServer(List<SyncToolSpecification> tools, McpSyncListFilter<McpSchema.Tool> filter) {
        public PerServer {
            tools = List.copyOf(tools);
        }
    }

    /** Every tool for every session; the list never changes. */
    SessionTools EVERY_TOOL = new SessionTools() {
        @Override
        public boolean listChanged() {
            return false;
        }

        @Override
        public PerServer forServer(McpServerTransportProviderBase transport, List<SyncToolSpecification> tools) {
            return new PerServer(tools, null);
        }
    };
}
