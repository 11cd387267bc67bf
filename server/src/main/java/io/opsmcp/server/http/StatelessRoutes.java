package io.opsmcp.server.http;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.mcp.CheckedStatelessTransport;
import io.opsmcp.server.mcp.ProtocolChecks;
import io.opsmcp.server.mcp.RequestTracer;
import java.util.Map;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStatelessServerTransport;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stateless streamable HTTP ({@code http.stateless: true}, {@code serve --stateless}), for several replicas behind a
 * load balancer without sticky sessions: {@code POST} {@value HttpTransport#MCP_ENDPOINT} answers every request on
 * its own (Spring AI's {@link WebMvcStatelessServerTransport} and the SDK's {@link McpStatelessSyncServer}): no
 * {@code Mcp-Session-Id} is issued or needed, {@code initialize} is answered but remembers nothing, and {@code GET}
 * gets 405 (no server-to-client stream). Each request is authenticated by its own API key (the same filters as
 * session mode), so the principal binding needs no session. Approvals and the audit log are the shared store's.
 *
 * <p>What needs a stream back to the client is not offered: notifications (progress, log messages, list changes,
 * resource updates), elicitation and sampling. Legacy HTTP+SSE is a session protocol, so {@value
 * HttpTransport#SSE_ENDPOINT} and {@value HttpTransport#SSE_MESSAGE_ENDPOINT} answer 404 with a message that says
 * so.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = HttpTransport.STATELESS_PROPERTY)
class StatelessRoutes {

    static final String SSE_OFF = "legacy HTTP+SSE is off: this server runs stateless streamable HTTP"
            + " (http.stateless: true); use a streamable HTTP client on " + HttpTransport.MCP_ENDPOINT;

    @Bean
    WebMvcStatelessServerTransport statelessTransport(ServerTransportSecurityValidator security) {
        return WebMvcStatelessServerTransport.builder()
                .jsonMapper(new JacksonMcpJsonMapper(JsonMapper.builder().build()))
                .messageEndpoint(HttpTransport.MCP_ENDPOINT)
                .securityValidator(security)
                .contextExtractor(HttpTransport.Routes::principalContext)
                .build();
    }

    @Bean(destroyMethod = "")
    McpStatelessSyncServer statelessServer(OpsMcpRuntime runtime, WebMvcStatelessServerTransport transport) {
        return runtime.serverFactory()
                .createStateless(new CheckedStatelessTransport(
                        transport, new RequestTracer(runtime.telemetry().tracing(), "tcp")));
    }

    @Bean
    RouterFunction<ServerResponse> statelessMcpRoutes(WebMvcStatelessServerTransport transport) {
        String body = JsonMapper.builder().build().writeValueAsString(Map.of("error", "not_found", "message", SSE_OFF));
        return transport
                .getRouterFunction()
                // Streamable HTTP: a request with an invalid or unsupported MCP-Protocol-Version MUST get 400.
                .filter((request, next) -> {
                    String version = request.headers().firstHeader("MCP-Protocol-Version");
                    return ProtocolChecks.protocolVersionAccepted(version, transport.protocolVersions())
                            ? next.handle(request)
                            : RpcErrorResponses.of(
                                    HttpStatus.BAD_REQUEST,
                                    McpSchema.ErrorCodes.INVALID_REQUEST,
                                    "Unsupported MCP-Protocol-Version; supported: "
                                            + String.join(", ", transport.protocolVersions()));
                })
                .and(RouterFunctions.route()
                        .route(
                                request -> request.path().equals(HttpTransport.SSE_ENDPOINT)
                                        || request.path().equals(HttpTransport.SSE_MESSAGE_ENDPOINT),
                                request -> ServerResponse.status(HttpStatus.NOT_FOUND)
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .body(body))
                        .build());
    }
}
