package io.opsmcp.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.store.jdbc.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tool runs on a {@code tool-call-N} thread of the gateway: what it logs carries the MDC of the thread that made
 * the call (request id, principal), and nothing of one call's MDC is left on the pooled thread for the next.
 */
class GatewayLogContextTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final org.slf4j.Logger TOOL_LOG = LoggerFactory.getLogger("test.logging.tool");

    @TempDir
    Path dataDir;

    private Stores stores;
    private ToolGateway gateway;
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    private static final class LoggingTool implements OpsTool {
        @Override
        public ToolDefinition definition() {
            ObjectNode schema = (ObjectNode)
                    JSON.readTree("{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{}}");
            return new ToolDefinition(
                    "echo_logs", "Logs", "Logs a line. For tests.", schema, null, ToolAnnotations.readOnly());
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return ActionDescriptor.read("host", "host", "dev", "web-1", Map.of("host_group", "sandbox"));
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            TOOL_LOG.info("tool running");
            return ToolResult.ok("ok");
        }
    }

    @BeforeEach
    void start() {
        stores = Stores.open(JSON.createObjectNode(), dataDir);
        OpsToolset toolset = TestToolsets.of("hosts", new LoggingTool());
        gateway = TestGateways.of(toolset, stores, Duration.ofSeconds(10));
        events.start();
        ((Logger) TOOL_LOG).addAppender(events);
    }

    @AfterEach
    void close() {
        ((Logger) TOOL_LOG).detachAppender(events);
        MDC.clear();
        gateway.close();
        stores.close();
    }

    private void call(Principal who) {
        gateway.call(new ToolGateway.Call("echo_logs", JSON.createObjectNode(), who, "req_x", null, null));
    }

    @Test
    void theToolLogsWithTheCallersRequestIdAndPrincipalAndLeavesNothingBehind() {
        MDC.put("request_id", "req_aaaa");
        MDC.put("principal", "alice");
        call(new Principal("alice", Set.of("sre"), "api-key"));
        MDC.clear();
        // the next call, on the same pooled thread, from a caller without a log context
        call(new Principal("bob", Set.of("sre"), "api-key"));

        assertThat(events.list).hasSize(2);
        ILoggingEvent first = events.list.get(0);
        assertThat(first.getThreadName()).startsWith("tool-call-");
        assertThat(first.getMDCPropertyMap())
                .containsEntry("request_id", "req_aaaa")
                .containsEntry("principal", "alice");
        ILoggingEvent second = events.list.get(1);
        assertThat(second.getThreadName()).startsWith("tool-call-");
        assertThat(second.getMDCPropertyMap()).doesNotContainKeys("request_id", "principal");
    }
}
