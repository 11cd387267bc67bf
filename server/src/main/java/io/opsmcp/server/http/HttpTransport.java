package io.opsmcp.server.http;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import io.opsmcp.oauth.BearerTokenValidator;
import io.opsmcp.oauth.ProtectedResourceMetadata;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.auth.HttpAuthFilter;
import io.opsmcp.server.config.ServerSettings;
import io.opsmcp.server.mcp.RequestTracer;
import io.opsmcp.server.mcp.SessionTools;
import io.opsmcp.telemetry.McpTracing;
import io.opsmcp.telemetry.Telemetry;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.catalina.LifecycleListener;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcSseServerTransportProvider;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP transports on Spring Boot's embedded Tomcat: streamable HTTP at {@value #MCP_ENDPOINT} and the
 * legacy HTTP+SSE transport at {@value #SSE_ENDPOINT} (messages posted to {@value #SSE_MESSAGE_ENDPOINT}),
 * both serving the same tools, the approvers' API at {@code /approvals} ({@link ApprovalsApi}) and their web page at
 * {@code /ui/approvals} ({@link io.opsmcp.server.ui.ApprovalPages}); with
 * {@code oauth}, the protected resource metadata at {@code /.well-known/oauth-protected-resource} ({@link
 * ResourceMetadataRoutes}).
 *
 * <p>Every request passes, in order: {@link TransportGuardFilter} ({@code Host}/{@code Origin} against loopback
 * names plus the configured allow-lists on every endpoint but {@code GET /healthz} — MCP spec, "Security Warning"
 * on DNS rebinding — and JSON content type on POSTs), {@link HttpAuthFilter} (headers only, before any body is
 * read), {@link RequestLimitsFilter} (body size, body deadline, bodies per client). Tomcat's own knobs come from
 * {@link HttpLimits}. MCP sessions of both transports are bound to their principal ({@link PrincipalBoundStreamableTransport},
 * {@link PrincipalBoundSseTransport}).
 *
 * <p>With {@code http.stateless} ({@link ServerSettings#stateless()}) the MCP endpoint is {@link StatelessRoutes}
 * instead: streamable HTTP without sessions, and no SSE. In both modes {@link ProtocolRevisionRouter} (after the
 * filters above) hands 2026-07-28 messages at {@value #MCP_ENDPOINT} to the SDK's modern transport.
 */
public final class HttpTransport implements AutoCloseable {

    public static final String MCP_ENDPOINT = "/mcp";
    public static final String SSE_ENDPOINT = "/sse";
    public static final String SSE_MESSAGE_ENDPOINT = "/message";
    /** Prometheus scrape endpoint, served with {@code telemetry.metrics.enabled}. */
    public static final String METRICS_ENDPOINT = "/metrics";
    /** The Spring property that selects the stateless endpoint (set from {@link ServerSettings#stateless()}). */
    static final String STATELESS_PROPERTY = "ops-mcp.http.stateless";

    private final ConfigurableApplicationContext context;
    private final int port;

    private HttpTransport(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Starts the HTTP server; returns once it accepts connections. */
    public static HttpTransport start(OpsMcpRuntime runtime) {
        ServerSettings settings = runtime.config().server();
        HttpLimits limits = HttpLimits.fromConfig(runtime.config().tree());
        long timeoutMs = limits.readTimeout().toMillis();
        Map<String, Object> properties = Map.of(
                STATELESS_PROPERTY,
                settings.stateless(),
                "server.address",
                settings.bind(),
                "server.port",
                settings.port(),
                "spring.main.banner-mode",
                "off",
                "server.shutdown",
                "graceful",
                // Tomcat's own bounds: time to send the request line and headers and each body read, idle
                // keep-alive, open connections. Refused requests are not drained (see Refusal).
                "server.tomcat.connection-timeout",
                timeoutMs + "ms",
                "server.tomcat.keep-alive-timeout",
                timeoutMs + "ms",
                "server.tomcat.max-connections",
                limits.maxConnections(),
                "server.tomcat.max-swallow-size",
                "64KB");
        // ops-mcp configures Logback itself (stderr or logging.file, never stdout); Spring Boot must not reset it.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Routes.class)
                .properties(properties)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .initializers(ctx -> {
                    ctx.getBeanFactory().registerSingleton("opsMcpRuntime", runtime);
                    ctx.getBeanFactory().registerSingleton("httpLimits", limits);
                })
                .run();
        return new HttpTransport(context);
    }

    /** The web application's servlet context (for tests of what the container serves). */
    ServletContext servletContext() {
        return ((ServletWebServerApplicationContext) context).getServletContext();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return port;
    }

    /** Closes MCP sessions first (so open SSE streams end cleanly), then stops the web server. */
    @Override
    public void close() {
        context.getBeansOfType(McpSyncServer.class).values().forEach(McpSyncServer::closeGracefully);
        context.getBeansOfType(McpStatelessSyncServer.class).values().forEach(McpStatelessSyncServer::closeGracefully);
        context.close();
    }

    /**
     * Spring configuration: the two MCP transports (session mode; {@link StatelessRoutes} in stateless mode), the
     * approvals API and a health endpoint.
     */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @Import(StatelessRoutes.class)
    // Only the web stack: Spring AI's MCP auto-configuration would build a second, single-transport server.
    @ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        JacksonAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class
    })
    static class Routes {

        @Bean
        ServerTransportSecurityValidator transportSecurity(OpsMcpRuntime runtime) {
            ServerSettings settings = runtime.config().server();
            var builder = DefaultServerTransportSecurityValidator.builder();
            for (String host : hosts(settings)) {
                builder.allowedHost(host);
            }
            for (String origin : origins(settings)) {
                builder.allowedOrigin(origin);
            }
            return builder.build();
        }

        // Filter order: Host/Origin and content type, then authentication (headers only), then body limits;
        // nothing reads a body before the caller is known.
        @Bean
        FilterRegistrationBean<TransportGuardFilter> transportGuard(ServerTransportSecurityValidator security) {
            return everyPath(new TransportGuardFilter(security), Ordered.HIGHEST_PRECEDENCE);
        }

        @Bean
        FilterRegistrationBean<HttpAuthFilter> authentication(OpsMcpRuntime runtime) {
            // GET /metrics is open only with telemetry.metrics.public (a scraper inside the cluster).
            return everyPath(
                    new HttpAuthFilter(
                            runtime.config().apiKeys(),
                            runtime.config().oauth().map(BearerTokenValidator::new),
                            runtime.localPrincipal(),
                            runtime.telemetry().metricsPublic() ? Set.of(METRICS_ENDPOINT) : Set.of()),
                    Ordered.HIGHEST_PRECEDENCE + 1);
        }

        /** The authenticated principal's id in the MDC of every log line written while the request is handled. */
        @Bean
        FilterRegistrationBean<LogContextFilter> logContext() {
            return everyPath(new LogContextFilter(), Ordered.HIGHEST_PRECEDENCE + 2);
        }

        /**
         * No jar's {@code META-INF/resources} in the web application's resources: nothing is served from them (there
         * is no default servlet; the approval page's stylesheet is served by code), yet Spring Boot's
         * {@code StaticResourceConfigurer} opens every jar of the class path at start to look for that folder (some
         * 200 of the shipped jar's, most of them not otherwise opened). Removing the listener skips the scan and keeps
         * files a dependency ships there out of {@code ServletContext.getResource}.
         */
        @Bean
        TomcatContextCustomizer noStaticResourceJars() {
            return context -> {
                for (LifecycleListener listener : context.findLifecycleListeners()) {
                    if (listener.getClass().getName().endsWith("$StaticResourceConfigurer")) {
                        context.removeLifecycleListener(listener);
                    }
                }
            };
        }

        @Bean
        FilterRegistrationBean<RequestLimitsFilter> requestLimits(HttpLimits limits) {
            return everyPath(new RequestLimitsFilter(limits), Ordered.HIGHEST_PRECEDENCE + 2);
        }

        /** The 2026-07-28 revision beside 2025-11-25 at the same endpoint, in both modes (after the limits). */
        @Bean
        FilterRegistrationBean<ProtocolRevisionRouter> protocolRevisions(
                OpsMcpRuntime runtime,
                ServerTransportSecurityValidator security,
                org.springframework.beans.factory.ObjectProvider<PrincipalBoundStreamableTransport> streamable) {
            var transport = io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport.builder(
                            runtime.serverFactory().createModern())
                    .jsonMapper(new JacksonMcpJsonMapper(JsonMapper.builder().build()))
                    .endpoint(MCP_ENDPOINT)
                    .contextExtractor(request -> {
                        Object principal = request.getAttribute(HttpAuthFilter.PRINCIPAL);
                        return principal == null
                                ? McpTransportContext.EMPTY
                                : McpTransportContext.create(Map.of(HttpAuthFilter.PRINCIPAL, principal));
                    });
            if (security instanceof io.modelcontextprotocol.server.transport.ServerHttpHeaderValidator headers) {
                transport.httpHeaderValidator(headers);
            }
            return everyPath(
                    new ProtocolRevisionRouter(
                            transport.build(),
                            JsonMapper.builder().build(),
                            // session mode: requests in a session answered without Spring MVC (none when stateless)
                            streamable.stream()
                                    .findFirst()
                                    .<ProtocolRevisionRouter.DirectAnswer>map(t -> t::answerDirectly)
                                    .orElse((request, response, body) -> false)),
                    Ordered.HIGHEST_PRECEDENCE + 3);
        }

        private static <F extends jakarta.servlet.Filter> FilterRegistrationBean<F> everyPath(F filter, int order) {
            var registration = new FilterRegistrationBean<>(filter);
            registration.addUrlPatterns("/*");
            registration.setOrder(order);
            registration.setAsyncSupported(true);
            return registration;
        }

        @Bean(destroyMethod = "")
        @ConditionalOnBooleanProperty(name = STATELESS_PROPERTY, havingValue = false, matchIfMissing = true)
        PrincipalBoundStreamableTransport streamableTransport(
                OpsMcpRuntime runtime, ServerTransportSecurityValidator security) {
            JacksonMcpJsonMapper json =
                    new JacksonMcpJsonMapper(JsonMapper.builder().build());
            return new PrincipalBoundStreamableTransport(
                    WebMvcStreamableServerTransportProvider.builder()
                            .jsonMapper(json)
                            .mcpEndpoint(MCP_ENDPOINT)
                            .securityValidator(security)
                            .contextExtractor(Routes::principalContext)
                            .build(),
                    json,
                    runtime.serverFactory().subscriptions(),
                    new RequestTracer(runtime.telemetry().tracing(), "tcp"),
                    request -> principalContext(request, request.getHeader("Mcp-Session-Id")));
        }

        @Bean(destroyMethod = "")
        @ConditionalOnBooleanProperty(name = STATELESS_PROPERTY, havingValue = false, matchIfMissing = true)
        PrincipalBoundSseTransport sseTransport(OpsMcpRuntime runtime, ServerTransportSecurityValidator security) {
            return new PrincipalBoundSseTransport(
                    WebMvcSseServerTransportProvider.builder()
                            .jsonMapper(new JacksonMcpJsonMapper(
                                    JsonMapper.builder().build()))
                            .sseEndpoint(SSE_ENDPOINT)
                            .messageEndpoint(SSE_MESSAGE_ENDPOINT)
                            .securityValidator(security)
                            .contextExtractor(Routes::principalContext)
                            .build(),
                    runtime.serverFactory().subscriptions(),
                    new RequestTracer(runtime.telemetry().tracing(), "tcp"));
        }

        /**
         * Hands the principal that {@link HttpAuthFilter} established, and the MCP session the request belongs to
         * (for per-session tool lists, {@link SessionTools#SESSION_ID}), to the MCP request handlers.
         */
        static McpTransportContext principalContext(ServerRequest request) {
            String session = request.headers().firstHeader("Mcp-Session-Id");
            if (session == null) {
                session = request.param("sessionId").orElse(null);
            }
            return principalContext(request.servletRequest(), session);
        }

        /** As {@link #principalContext(ServerRequest)}, with the MCP session id already found. */
        static McpTransportContext principalContext(jakarta.servlet.http.HttpServletRequest request, String session) {
            Map<String, Object> context = new java.util.HashMap<>();
            Object principal = request.getAttribute(HttpAuthFilter.PRINCIPAL);
            if (principal != null) {
                context.put(HttpAuthFilter.PRINCIPAL, principal);
            }
            if (session != null) {
                context.put(SessionTools.SESSION_ID, session);
            }
            // W3C Trace Context of the HTTP request: the parent of its MCP request span unless params._meta has one
            Map<String, String> trace = new java.util.HashMap<>();
            for (String header : List.of("traceparent", "tracestate")) {
                String value = request.getHeader(header);
                if (value != null) {
                    trace.put(header, value);
                }
            }
            if (!trace.isEmpty()) {
                context.put(McpTracing.HTTP_TRACE_HEADERS, trace);
            }
            return context.isEmpty() ? McpTransportContext.EMPTY : McpTransportContext.create(context);
        }

        @Bean(destroyMethod = "")
        @ConditionalOnBooleanProperty(name = STATELESS_PROPERTY, havingValue = false, matchIfMissing = true)
        McpSyncServer streamableServer(OpsMcpRuntime runtime, PrincipalBoundStreamableTransport transport) {
            return runtime.serverFactory().create(transport);
        }

        @Bean(destroyMethod = "")
        @ConditionalOnBooleanProperty(name = STATELESS_PROPERTY, havingValue = false, matchIfMissing = true)
        McpSyncServer sseServer(OpsMcpRuntime runtime, PrincipalBoundSseTransport transport) {
            return runtime.serverFactory().create(transport);
        }

        @Bean
        @ConditionalOnBooleanProperty(name = STATELESS_PROPERTY, havingValue = false, matchIfMissing = true)
        RouterFunction<ServerResponse> mcpRoutes(
                PrincipalBoundStreamableTransport streamable, PrincipalBoundSseTransport sse) {
            return streamable.routes().and(sse.routes());
        }

        /**
         * The approvers' API and the health check, in both modes; {@code GET /metrics} with telemetry metrics; with
         * {@code oauth} the protected resource metadata (RFC 9728).
         */
        @Bean(destroyMethod = "close")
        io.opsmcp.server.ui.ApprovalPages approvalPages(OpsMcpRuntime runtime) {
            return io.opsmcp.server.ui.ApprovalPages.of(runtime);
        }

        @Bean
        RouterFunction<ServerResponse> commonRoutes(
                OpsMcpRuntime runtime, io.opsmcp.server.ui.ApprovalPages approvalPages) {
            RouterFunction<ServerResponse> routes = new ApprovalsApi(
                            runtime.approvals(), JsonMapper.builder().build())
                    .routes()
                    .and(approvalPages.routes())
                    .and(RouterFunctions.route()
                            .GET("/healthz", request -> ServerResponse.ok().body(Map.of("status", "ok")))
                            .build());
            Telemetry telemetry = runtime.telemetry();
            if (telemetry.metricsEnabled()) {
                routes = routes.and(RouterFunctions.route()
                        .GET(
                                METRICS_ENDPOINT,
                                request -> ServerResponse.ok()
                                        .header("Content-Type", Telemetry.PROMETHEUS_CONTENT_TYPE)
                                        .header("Cache-Control", "no-store")
                                        .body(telemetry.scrape().orElse("")))
                        .build());
            }
            if (runtime.webhooks().isPresent()) {
                routes = routes.and(WebhookRoutes.routes(runtime.webhooks().get()));
            }
            if (runtime.config().oauth().isPresent()) {
                routes = routes.and(ResourceMetadataRoutes.routes(
                        new ProtectedResourceMetadata(runtime.config().oauth().get())));
            }
            return routes;
        }

        private static List<String> hosts(ServerSettings settings) {
            List<String> hosts = new ArrayList<>(
                    List.of("127.0.0.1", "127.0.0.1:*", "localhost", "localhost:*", "[::1]", "[::1]:*"));
            hosts.addAll(settings.allowedHosts());
            return hosts;
        }

        private static List<String> origins(ServerSettings settings) {
            List<String> origins = new ArrayList<>(List.of(
                    "http://127.0.0.1",
                    "http://127.0.0.1:*",
                    "http://localhost",
                    "http://localhost:*",
                    "http://[::1]",
                    "http://[::1]:*"));
            origins.addAll(settings.allowedOrigins());
            return origins;
        }
    }
}
