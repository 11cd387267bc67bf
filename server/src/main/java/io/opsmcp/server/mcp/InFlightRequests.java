package io.opsmcp.server.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.opsmcp.core.tool.CancellationSignal;
import io.opsmcp.core.tool.ToolContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The requests of one MCP session that have not been answered yet, by JSON-RPC id, and their cancellation (MCP
 * basic/utilities/cancellation). One instance belongs to one session, so a {@code notifications/cancelled} can only
 * reach requests of the session it arrived on, never another session's or another principal's.
 *
 * <ul>
 *   <li>{@link #register} when a request arrives: its {@link ToolContext.Cancellation} rides in the MCP transport
 *       context of the request's exchange under {@link #CONTEXT_KEY} ({@link #contextWith}), where the tool adapter
 *       hands it to the gateway.</li>
 *   <li>{@link #cancel} for {@code notifications/cancelled {requestId, reason}}: fires the cancellation; an unknown
 *       or already answered id is ignored, as the specification asks ({@code initialize} is never registered, so it
 *       cannot be cancelled).</li>
 *   <li>{@link #mayDeliver} on the send side, for every outgoing message: the response to a cancelled request is
 *       dropped ("receivers SHOULD NOT send a response for a cancelled request"); any response ends its request.</li>
 * </ul>
 */
public final class InFlightRequests {

    /** Key of a request's {@link ToolContext.Cancellation} in the MCP transport context. */
    public static final String CONTEXT_KEY = "io.opsmcp.cancellation";
    /** {@code notifications/cancelled}. */
    public static final String CANCELLED = "notifications/cancelled";

    private static final Logger log = LoggerFactory.getLogger(InFlightRequests.class);

    private final Map<String, ClientCancellation> requests = new ConcurrentHashMap<>();

    /**
     * Registers an arriving request; {@code null} for {@code initialize} (which must not be cancelled) and for a
     * request whose id is already in flight (a client error; the first keeps its entry).
     */
    public ClientCancellation register(McpSchema.JSONRPCRequest request) {
        if (McpSchema.METHOD_INITIALIZE.equals(request.method()) || request.id() == null) {
            return null;
        }
        ClientCancellation fresh = new ClientCancellation();
        return requests.putIfAbsent(key(request.id()), fresh) == null ? fresh : null;
    }

    /**
     * The Reactor context for handling {@code request}: the MCP transport context of {@code context} (or an empty
     * one) with the request's cancellation added.
     */
    public static Context contextWith(Context context, ClientCancellation cancellation) {
        if (cancellation == null) {
            return context;
        }
        McpTransportContext transport = context.getOrDefault(McpTransportContext.KEY, McpTransportContext.EMPTY);
        return context.put(McpTransportContext.KEY, transport.putAll(Map.of(CONTEXT_KEY, cancellation)));
    }

    /**
     * Handles {@code notifications/cancelled}: cancels the named request of this session if it is still in flight.
     *
     * @param params the notification's params ({@code requestId}, optional {@code reason}); anything malformed is
     *               ignored, as a notification cannot be answered
     */
    public void cancel(Object params) {
        if (!(params instanceof Map<?, ?> map) || map.get("requestId") == null) {
            log.debug("notifications/cancelled without a requestId ignored");
            return;
        }
        ClientCancellation cancellation = requests.get(key(map.get("requestId")));
        if (cancellation == null) {
            // unknown, or answered already: the specification says to ignore it
            return;
        }
        cancellation.cancel();
    }

    /**
     * Whether an outgoing message may be sent: {@code false} only for the response to a cancelled request. A
     * response ends its request's entry either way.
     */
    public boolean mayDeliver(McpSchema.JSONRPCMessage message) {
        if (!(message instanceof McpSchema.JSONRPCResponse response) || response.id() == null) {
            return true;
        }
        ClientCancellation ended = requests.remove(key(response.id()));
        return ended == null || !ended.cancelled();
    }

    /** {@code transport} (one request's stream) without the response to that request if it was cancelled. */
    public McpStreamableServerTransport dropCancelled(McpStreamableServerTransport transport) {
        return new McpStreamableServerTransport() {
            @Override
            public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
                return Mono.defer(() -> mayDeliver(message) ? transport.sendMessage(message) : Mono.empty());
            }

            @Override
            public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
                return Mono.defer(() -> mayDeliver(message) ? transport.sendMessage(message, messageId) : Mono.empty());
            }

            @Override
            public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
                return transport.unmarshalFrom(data, typeRef);
            }

            @Override
            public Mono<Void> closeGracefully() {
                return transport.closeGracefully();
            }

            @Override
            public void close() {
                transport.close();
            }

            @Override
            public List<String> protocolVersions() {
                return transport.protocolVersions();
            }
        };
    }

    /** Cancels everything still in flight: the session ended, nobody will read the answers. */
    public void cancelAll() {
        List<ClientCancellation> all = new ArrayList<>(requests.values());
        requests.clear();
        all.forEach(ClientCancellation::cancel);
    }

    /** Number of requests in flight; for tests. */
    int size() {
        return requests.size();
    }

    /**
     * A JSON-RPC id as a map key: strings and numbers are distinct ({@code "1"} is not {@code 1}), and numbers
     * compare by value whatever type the JSON reader gave them ({@code 1}, {@code 1L}, {@code 1.0}).
     */
    static String key(Object id) {
        if (id instanceof Number n) {
            try {
                return "n:" + new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                return "n:" + n;
            }
        }
        return "s:" + id;
    }

    /**
     * The client's cancellation of one request. Actions registered by the gateway run once, on the thread that
     * handles the notification; one registered after the cancellation runs at once.
     */
    public static final class ClientCancellation extends CancellationSignal {

        @Override
        protected void actionFailed(RuntimeException failure) {
            log.warn("cancelling a request failed: {}", failure.getClass().getSimpleName());
        }
    }
}
