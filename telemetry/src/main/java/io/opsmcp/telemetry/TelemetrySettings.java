package io.opsmcp.telemetry;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.opsmcp.core.config.InvalidConfigException;
import io.opsmcp.toolkit.Durations;
import io.opsmcp.toolkit.config.ConfigBinding;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The {@code telemetry:} section of {@code ops-mcp.yaml}, with the OpenTelemetry SDK's standard environment variables
 * applied over it (OpenTelemetry specification, "OpenTelemetry Protocol Exporter" configuration):
 *
 * <ul>
 *   <li>{@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (used as is), else {@code OTEL_EXPORTER_OTLP_ENDPOINT} (a base
 *       URL: {@code /v1/traces} is appended for {@code http/protobuf}), else {@code telemetry.traces.endpoint};</li>
 *   <li>{@code OTEL_EXPORTER_OTLP_TRACES_PROTOCOL} / {@code OTEL_EXPORTER_OTLP_PROTOCOL}: {@code http/protobuf} or
 *       {@code grpc};</li>
 *   <li>{@code OTEL_EXPORTER_OTLP_HEADERS} and {@code OTEL_EXPORTER_OTLP_TRACES_HEADERS} (the latter wins per key):
 *       {@code key=value} pairs separated by commas, values URL-encoded. Headers come only from the environment,
 *       never from the file, because they usually carry a collector's API key; they are never logged;</li>
 *   <li>{@code OTEL_SERVICE_NAME} over {@code telemetry.service_name};</li>
 *   <li>{@code OTEL_SDK_DISABLED=true} turns tracing off whatever the file says.</li>
 * </ul>
 *
 * @param serviceName the {@code service.name} resource attribute of the spans
 * @param traces      the OpenTelemetry trace export
 * @param metrics     the Prometheus {@code /metrics} endpoint
 */
public record TelemetrySettings(String serviceName, Traces traces, Metrics metrics) {

    /** Default OTLP/HTTP traces endpoint (a collector on this host). */
    public static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318/v1/traces";
    /** Default OTLP/gRPC endpoint. */
    public static final String DEFAULT_GRPC_ENDPOINT = "http://localhost:4317";

    /** Nothing on: no SDK, no registry, no endpoint. */
    public static final TelemetrySettings OFF = new TelemetrySettings(
            "ops-mcp",
            new Traces(
                    false,
                    Protocol.HTTP_PROTOBUF,
                    URI.create(DEFAULT_HTTP_ENDPOINT),
                    1.0,
                    Duration.ofSeconds(10),
                    Map.of()),
            new Metrics(false, false));

    /** OTLP transport ({@code OTEL_EXPORTER_OTLP_PROTOCOL} values). */
    public enum Protocol {
        HTTP_PROTOBUF("http/protobuf"),
        GRPC("grpc");

        private final String wire;

        Protocol(String wire) {
            this.wire = wire;
        }

        /** {@code http/protobuf} or {@code grpc}. */
        public String wire() {
            return wire;
        }

        static Protocol parse(String field, String text) {
            for (Protocol p : values()) {
                if (p.wire.equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
            throw new InvalidConfigException(field + ": must be http/protobuf or grpc");
        }
    }

    /**
     * @param enabled       whether spans are recorded and exported at all (off: no SDK, no exporter thread)
     * @param protocol      OTLP over HTTP (protobuf) or gRPC
     * @param endpoint      where spans are sent (for {@code http/protobuf} the full {@code …/v1/traces} URL)
     * @param samplingRatio share of traces started here that are recorded, 0..1 (parent-based: a sampled incoming
     *                      {@code traceparent} is always followed)
     * @param timeout       per export request
     * @param headers       sent with every export (from the environment only); never shown by {@link #toString()}
     */
    public record Traces(
            boolean enabled,
            Protocol protocol,
            URI endpoint,
            double samplingRatio,
            Duration timeout,
            Map<String, String> headers) {

        public Traces {
            headers = Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return "Traces[enabled=" + enabled + ", protocol=" + protocol.wire() + ", endpoint=" + endpoint
                    + ", samplingRatio=" + samplingRatio + ", timeout=" + timeout + ", headers=" + headers.keySet()
                    + "]";
        }
    }

    /**
     * @param enabled    serve {@code GET /metrics} (Prometheus text format) on the HTTP transport
     * @param publicPath serve it without authentication (for a scraper inside the cluster); Host/Origin checks still
     *                   apply
     */
    public record Metrics(boolean enabled, boolean publicPath) {}

    /**
     * The section as written (bound by {@link ConfigBinding}: unknown keys are errors naming them).
     *
     * @param serviceName {@code service_name}
     * @param traces      {@code traces:}
     * @param metrics     {@code metrics:}
     */
    public record Section(String serviceName, TracesSection traces, MetricsSection metrics) {}

    /** {@code telemetry.traces:} as written. */
    public record TracesSection(
            Boolean enabled, String endpoint, String protocol, Double samplingRatio, String timeout) {}

    /** {@code telemetry.metrics:} as written; {@code public} is a Java keyword, hence the renamed component. */
    public record MetricsSection(
            Boolean enabled, @JsonProperty("public") Boolean publicPath) {}

    /**
     * Reads and checks the section.
     *
     * @param section the {@code telemetry} node ({@code null} or missing: everything off)
     * @param env     the process environment ({@code OTEL_*} variables)
     * @throws InvalidConfigException naming the setting or variable and the rule
     */
    public static TelemetrySettings from(JsonNode section, Map<String, String> env) {
        Section raw;
        try {
            raw = ConfigBinding.bind(section, "telemetry", Section.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
        TracesSection t = raw.traces() == null ? new TracesSection(null, null, null, null, null) : raw.traces();
        MetricsSection m = raw.metrics() == null ? new MetricsSection(null, null) : raw.metrics();

        String serviceName = firstSet(env.get("OTEL_SERVICE_NAME"), raw.serviceName(), "ops-mcp");
        if (serviceName.isBlank() || serviceName.length() > 128) {
            throw new InvalidConfigException("telemetry.service_name: must be 1 to 128 characters");
        }

        String protocolText =
                firstSet(env.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"), env.get("OTEL_EXPORTER_OTLP_PROTOCOL"), null);
        Protocol protocol = protocolText != null
                ? Protocol.parse("OTEL_EXPORTER_OTLP_PROTOCOL", protocolText)
                : t.protocol() == null
                        ? Protocol.HTTP_PROTOBUF
                        : Protocol.parse("telemetry.traces.protocol", t.protocol());

        String endpointField;
        String endpointText;
        if (isSet(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))) {
            endpointField = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
            endpointText = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").trim();
        } else if (isSet(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))) {
            endpointField = "OTEL_EXPORTER_OTLP_ENDPOINT";
            String base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT").trim();
            endpointText =
                    protocol == Protocol.HTTP_PROTOBUF ? (base.endsWith("/") ? base : base + "/") + "v1/traces" : base;
        } else {
            endpointField = "telemetry.traces.endpoint";
            endpointText = t.endpoint() != null
                    ? t.endpoint()
                    : protocol == Protocol.HTTP_PROTOBUF ? DEFAULT_HTTP_ENDPOINT : DEFAULT_GRPC_ENDPOINT;
        }
        URI endpoint = endpoint(endpointField, endpointText);

        double ratio = t.samplingRatio() == null ? 1.0 : t.samplingRatio();
        if (!(ratio >= 0.0 && ratio <= 1.0)) {
            throw new InvalidConfigException("telemetry.traces.sampling_ratio: must be a number from 0 to 1");
        }
        Duration timeout;
        try {
            timeout = t.timeout() == null
                    ? Duration.ofSeconds(10)
                    : Durations.parse("telemetry.traces.timeout", t.timeout());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
        if (timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new InvalidConfigException("telemetry.traces.timeout: must be at most 5m");
        }
        Map<String, String> headers = new LinkedHashMap<>(headers("OTEL_EXPORTER_OTLP_HEADERS", env));
        headers.putAll(headers("OTEL_EXPORTER_OTLP_TRACES_HEADERS", env));

        boolean tracesOn =
                Boolean.TRUE.equals(t.enabled()) && !"true".equalsIgnoreCase(trim(env.get("OTEL_SDK_DISABLED")));
        return new TelemetrySettings(
                serviceName,
                new Traces(tracesOn, protocol, endpoint, ratio, timeout, headers),
                new Metrics(Boolean.TRUE.equals(m.enabled()), Boolean.TRUE.equals(m.publicPath())));
    }

    /** An http(s) URL with a host and no user info (credentials go in headers, from the environment). */
    private static URI endpoint(String field, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidConfigException(field + ": must be an http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new InvalidConfigException(field + ": must be an http or https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidConfigException(
                    field + ": must not carry user info; send credentials in" + " OTEL_EXPORTER_OTLP_HEADERS");
        }
        return uri;
    }

    /**
     * {@code key1=value1,key2=value2} with URL-encoded values (OTLP exporter spec). Errors name the variable and the
     * entry's position, never its text: it may be an API key.
     */
    static Map<String, String> headers(String variable, Map<String, String> env) {
        String text = env.get(variable);
        Map<String, String> out = new LinkedHashMap<>();
        if (!isSet(text)) {
            return out;
        }
        String[] entries = text.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String key = eq <= 0 ? "" : entry.substring(0, eq).trim();
            if (key.isEmpty() || !key.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new InvalidConfigException(
                        variable + ": entry " + (i + 1) + " must be key=value with a header name as key");
            }
            try {
                out.put(key, URLDecoder.decode(entry.substring(eq + 1).trim(), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(variable + ": entry " + (i + 1) + " has a malformed %-escape");
            }
        }
        return out;
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    private static String firstSet(String a, String b, String fallback) {
        return isSet(a) ? a.trim() : isSet(b) ? b.trim() : fallback;
    }
}
