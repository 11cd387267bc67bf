package io.opsmcp.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.core.tool.ToolContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

/** The per-session registry behind MCP cancellation: which request a notification names, and what is dropped. */
class InFlightRequestsTest {

    private static McpSchema.JSONRPCRequest request(Object id, String method) {
        return new McpSchema.JSONRPCRequest(method, id, Map.of());
    }

    private static McpSchema.JSONRPCResponse response(Object id) {
        return McpSchema.JSONRPCResponse.result(id, Map.of());
    }

    @Test
    void aCancelledRequestsResponseIsDroppedAndOthersAreSent() {
        InFlightRequests inFlight = new InFlightRequests();
        InFlightRequests.ClientCancellation five = inFlight.register(request(5, "tools/call"));
        InFlightRequests.ClientCancellation six = inFlight.register(request(6, "tools/call"));
        AtomicInteger fired = new AtomicInteger();
        five.onCancel(fired::incrementAndGet);

        inFlight.cancel(Map.of("requestId", 5, "reason", "stop"));

        assertThat(five.cancelled()).isTrue();
        assertThat(six.cancelled()).isFalse();
        assertThat(fired).hasValue(1);
        assertThat(inFlight.mayDeliver(response(5)))
                .as("response to the cancelled request")
                .isFalse();
        assertThat(inFlight.mayDeliver(response(6))).isTrue();
        assertThat(inFlight.mayDeliver(new McpSchema.JSONRPCNotification("notifications/progress", Map.of())))
                .isTrue();
        assertThat(inFlight.size()).isZero();
    }

    @Test
    void idsMatchByJsonValueAndKeepTheirType() {
        InFlightRequests inFlight = new InFlightRequests();
        InFlightRequests.ClientCancellation number = inFlight.register(request(7, "tools/call"));
        InFlightRequests.ClientCancellation string = inFlight.register(request("7", "tools/call"));

        inFlight.cancel(Map.of("requestId", 7L));
        assertThat(number.cancelled()).as("7L names 7").isTrue();
        assertThat(string.cancelled()).as("7 does not name \"7\"").isFalse();

        inFlight.cancel(Map.of("requestId", "7"));
        assertThat(string.cancelled()).isTrue();
        assertThat(InFlightRequests.key(1)).isEqualTo(InFlightRequests.key(1.0));
    }

    @Test
    void unknownFinishedMalformedAndInitializeAreIgnored() {
        InFlightRequests inFlight = new InFlightRequests();
        assertThat(inFlight.register(request(1, McpSchema.METHOD_INITIALIZE))).isNull();
        InFlightRequests.ClientCancellation call = inFlight.register(request(2, "tools/call"));
        assertThat(inFlight.mayDeliver(response(2))).isTrue();

        inFlight.cancel(Map.of("requestId", 2));
        inFlight.cancel(Map.of("requestId", 99));
        inFlight.cancel(Map.of("reason", "no id"));
        inFlight.cancel("not an object");
        inFlight.cancel(null);

        assertThat(call.cancelled()).as("answered before the cancellation came").isFalse();
        assertThat(inFlight.mayDeliver(response(1)))
                .as("initialize is answered")
                .isTrue();
    }

    @Test
    void anotherSessionsRegistryCannotCancelThisSessionsRequest() {
        InFlightRequests alice = new InFlightRequests();
        InFlightRequests bob = new InFlightRequests();
        InFlightRequests.ClientCancellation call = alice.register(request(3, "tools/call"));
        bob.register(request(3, "tools/call"));

        bob.cancel(Map.of("requestId", 3));

        assertThat(call.cancelled()).isFalse();
        assertThat(alice.mayDeliver(response(3))).isTrue();
    }

    @Test
    void theCancellationRidesInTheTransportContextAndAnEndedSessionCancelsAll() {
        InFlightRequests inFlight = new InFlightRequests();
        InFlightRequests.ClientCancellation call = inFlight.register(request(4, "tools/call"));
        Context ctx = InFlightRequests.contextWith(
                Context.of(McpTransportContext.KEY, McpTransportContext.create(Map.of("principal", "p"))), call);
        McpTransportContext transport = ctx.get(McpTransportContext.KEY);
        assertThat(transport.get(InFlightRequests.CONTEXT_KEY))
                .isSameAs(call)
                .isInstanceOf(ToolContext.Cancellation.class);
        assertThat(transport.get("principal"))
                .as("the transport's own entries stay")
                .isEqualTo("p");

        inFlight.cancelAll();
        assertThat(call.cancelled()).isTrue();
    }
}
