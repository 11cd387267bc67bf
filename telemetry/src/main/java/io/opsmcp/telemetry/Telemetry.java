package io.opsmcp.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.observe.CallObserver;
import io.opsmcp.guard.policy.PolicyEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's telemetry: OpenTelemetry spans for MCP requests and tool calls exported over OTLP, and Micrometer
 * meters served in the Prometheus text format at {@code GET /metrics}. Each half is off unless its
 * {@code telemetry.*.enabled} is true; off means nothing is started (no SDK, no batch thread, no registry) and every
 * hook is a no-op. Nothing here is global: no {@code GlobalOpenTelemetry}, no Micrometer global registry.
 *
 * <p>What is recorded carries no secret: ids of principals (never roles' secrets, tokens or keys), tool names,
 * decisions, outcomes, resource kinds and names, durations. Never arguments, results or headers.
 */
public final class Telemetry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Telemetry.class);

    /** Content type of {@link #scrape()}: the Prometheus text exposition format 0.0.4. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final TelemetrySettings settings;
    private final SdkTracerProvider tracerProvider;
    private final Tracer tracer;
    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> binders;
    private volatile McpTracing tracing;

    private Telemetry(
            TelemetrySettings settings,
            SdkTracerProvider tracerProvider,
            Tracer tracer,
            PrometheusMeterRegistry registry,
            List<AutoCloseable> binders) {
        this.settings = settings;
        this.tracerProvider = tracerProvider;
        this.tracer = tracer;
        this.registry = registry;
        this.binders = binders;
        this.tracing = new McpTracing(tracer, registry, Set.of());
    }

    /** Everything off. */
    public static Telemetry off() {
        return new Telemetry(TelemetrySettings.OFF, null, null, null, List.of());
    }

    /**
     * Starts what {@code settings} turns on.
     *
     * @param version this server's version ({@code service.version}, the tracer's instrumentation version)
     */
    public static Telemetry start(TelemetrySettings settings, String version) {
        SdkTracerProvider provider = null;
        Tracer tracer = null;
        if (settings.traces().enabled()) {
            Resource resource = Resource.create(Attributes.of(
                    AttributeKey.stringKey("service.name"),
                    settings.serviceName(),
                    AttributeKey.stringKey("service.version"),
                    version));
            provider = SdkTracerProvider.builder()
                    .setResource(resource)
                    .setSampler(Sampler.parentBased(
                            Sampler.traceIdRatioBased(settings.traces().samplingRatio())))
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter(settings.traces()))
                            .setMeterProvider(MeterProvider::noop)
                            .build())
                    .build();
            tracer = provider.tracerBuilder("io.opsmcp")
                    .setInstrumentationVersion(version)
                    .build();
            log.info(
                    "telemetry: exporting traces over OTLP {} to {} (sampling ratio {}, {} header(s))",
                    settings.traces().protocol().wire(),
                    settings.traces().endpoint(),
                    settings.traces().samplingRatio(),
                    settings.traces().headers().size());
        }
        PrometheusMeterRegistry registry = null;
        List<AutoCloseable> binders = new ArrayList<>();
        if (settings.metrics().enabled()) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new ClassLoaderMetrics().bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            binders.add(gc);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            new FileDescriptorMetrics().bindTo(registry);
            log.info(
                    "telemetry: Prometheus metrics at GET /metrics ({})",
                    settings.metrics().publicPath() ? "public" : "authenticated like the other endpoints");
        }
        return new Telemetry(settings, provider, tracer, registry, binders);
    }

    private static SpanExporter exporter(TelemetrySettings.Traces traces) {
        if (traces.protocol() == TelemetrySettings.Protocol.GRPC) {
            var b = OtlpGrpcSpanExporter.builder()
                    .setEndpoint(traces.endpoint().toString())
                    .setTimeout(traces.timeout())
                    .setMeterProvider(MeterProvider::noop);
            traces.headers().forEach(b::addHeader);
            return b.build();
        }
        var b = OtlpHttpSpanExporter.builder()
                .setEndpoint(traces.endpoint().toString())
                .setTimeout(traces.timeout())
                .setMeterProvider(MeterProvider::noop);
        traces.headers().forEach(b::addHeader);
        return b.build();
    }

    /** The settings this telemetry runs with. */
    public TelemetrySettings settings() {
        return settings;
    }

    /** Whether spans are recorded. */
    public boolean tracesEnabled() {
        return tracer != null;
    }

    /** Whether {@code GET /metrics} is served. */
    public boolean metricsEnabled() {
        return registry != null;
    }

    /** Whether {@code GET /metrics} is served without authentication ({@code telemetry.metrics.public}). */
    public boolean metricsPublic() {
        return registry != null && settings.metrics().publicPath();
    }

    /**
     * The registered tool names: only these name spans and label metrics (a closed set); call once the gateway knows
     * its tools.
     */
    public void registeredTools(Set<String> tools) {
        tracing = tracing.withTools(tools);
    }

    /** The guard's observer: tool-call spans and meters, or {@link CallObserver#NONE} when both are off. */
    public CallObserver callObserver() {
        List<CallObserver> observers = new ArrayList<>();
        if (tracer != null) {
            observers.add(new ToolCallSpans(tracer));
        }
        if (registry != null) {
            observers.add(new ToolCallMetrics(registry));
        }
        return CallObserver.all(observers);
    }

    /** MCP request spans (and {@code mcp.server.operation.duration}); {@link McpTracing#OFF} semantics when off. */
    public McpTracing tracing() {
        return tracing;
    }

    /** {@code store} with its appends timed ({@code opsmcp.audit.append}), or {@code store} itself without metrics. */
    public AuditStore timed(AuditStore store) {
        return registry == null ? store : new TimedAuditStore(store, registry);
    }

    /** {@code engine} with its decisions timed ({@code opsmcp.policy.evaluation}), or itself without metrics. */
    public PolicyEngine timed(PolicyEngine engine) {
        return registry == null ? engine : new TimedPolicyEngine(engine, registry);
    }

    /**
     * Publishes {@code opsmcp.approvals.pending}: approvals waiting for votes, read at each scrape. A count that
     * cannot be read (store down) is reported as NaN rather than failing the scrape.
     */
    public void approvalsPending(LongSupplier pending) {
        if (registry == null) {
            return;
        }
        Gauge.builder("opsmcp.approvals.pending", pending, p -> {
                    try {
                        return p.getAsLong();
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                })
                .description("Approval requests waiting for votes")
                .strongReference(true)
                .register(registry);
    }

    /**
     * The current meters in the Prometheus text format ({@link #PROMETHEUS_CONTENT_TYPE}).
     *
     * @return empty when metrics are off
     */
    public Optional<String> scrape() {
        return registry == null ? Optional.empty() : Optional.of(registry.scrape());
    }

    /** Flushes and stops the span export (bounded wait) and the JVM meters. */
    @Override
    public void close() {
        if (tracerProvider != null) {
            tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                log.debug("closing a JVM meter binder failed: {}", e.toString());
            }
        }
        if (registry != null) {
            registry.close();
        }
    }
}
