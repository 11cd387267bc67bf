package io.opsmcp.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.config.InvalidConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TelemetrySettingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TelemetrySettings read(String json, Map<String, String> env) {
        return TelemetrySettings.from(JSON.readTree(json), env);
    }

    private static TelemetrySettings read(String json) {
        return read(json, Map.of());
    }

    @Test
    void everythingIsOffWithoutTheSection() {
        TelemetrySettings s = TelemetrySettings.from(null, Map.of());
        assertThat(s.traces().enabled()).isFalse();
        assertThat(s.metrics().enabled()).isFalse();
        assertThat(s.metrics().publicPath()).isFalse();
        assertThat(s.traces().endpoint()).hasToString(TelemetrySettings.DEFAULT_HTTP_ENDPOINT);
        assertThat(s.serviceName()).isEqualTo("ops-mcp");
        // the OTel endpoint variables alone do not turn tracing on
        assertThat(TelemetrySettings.from(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))
                        .traces()
                        .enabled())
                .isFalse();
    }

    @Test
    void readsTheSection() {
        TelemetrySettings s = read("""
                {"service_name":"ops-a","traces":{"enabled":true,"protocol":"grpc","endpoint":"https://otel:4317",
                 "sampling_ratio":0.25,"timeout":"3s"},"metrics":{"enabled":true,"public":true}}""");
        assertThat(s.serviceName()).isEqualTo("ops-a");
        assertThat(s.traces().enabled()).isTrue();
        assertThat(s.traces().protocol()).isEqualTo(TelemetrySettings.Protocol.GRPC);
        assertThat(s.traces().endpoint()).hasToString("https://otel:4317");
        assertThat(s.traces().samplingRatio()).isEqualTo(0.25);
        assertThat(s.traces().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.metrics().enabled()).isTrue();
        assertThat(s.metrics().publicPath()).isTrue();
    }

    @Test
    void badSettingsAreNamedWithTheRule() {
        assertThatThrownBy(() -> read("{\"trace\":{}}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("telemetry.trace: unknown setting; valid: metrics, service_name, traces");
        assertThatThrownBy(() -> read("{\"metrics\":{\"public\":\"yes\"}}"))
                .hasMessageContaining("telemetry.metrics.public: must be a boolean");
        assertThatThrownBy(() -> read("{\"traces\":{\"sampling_ratio\":1.5}}"))
                .hasMessage("telemetry.traces.sampling_ratio: must be a number from 0 to 1");
        assertThatThrownBy(() -> read("{\"traces\":{\"protocol\":\"udp\"}}"))
                .hasMessage("telemetry.traces.protocol: must be http/protobuf or grpc");
        assertThatThrownBy(() -> read("{\"traces\":{\"endpoint\":\"ftp://collector\"}}"))
                .hasMessageContaining("telemetry.traces.endpoint: must be an http or https URL");
        assertThatThrownBy(() -> read("{\"traces\":{\"timeout\":\"soon\"}}"))
                .hasMessageContaining("telemetry.traces.timeout: must be a duration like");
        // credentials in the URL would end up in logs: refused, without repeating them
        assertThatThrownBy(() -> read("{\"traces\":{\"endpoint\":\"https://user:hunter2@otel:4318/v1/traces\"}}"))
                .hasMessageContaining("must not carry user info")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void standardOtelVariablesOverrideTheFile() {
        String file = "{\"traces\":{\"enabled\":true,\"endpoint\":\"http://file:4318/v1/traces\"}}";
        assertThat(read(file, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))
                        .traces()
                        .endpoint())
                .hasToString("http://collector:4318/v1/traces");
        assertThat(read(
                                file,
                                Map.of(
                                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                                        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:9999/custom"))
                        .traces()
                        .endpoint())
                .hasToString("http://traces:9999/custom");
        TelemetrySettings grpc = read(
                file, Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"));
        assertThat(grpc.traces().protocol()).isEqualTo(TelemetrySettings.Protocol.GRPC);
        assertThat(grpc.traces().endpoint()).hasToString("http://c:4317");
        assertThat(read(file, Map.of("OTEL_SERVICE_NAME", "ops-eu")).serviceName())
                .isEqualTo("ops-eu");
        assertThat(read(file, Map.of("OTEL_SDK_DISABLED", "true")).traces().enabled())
                .isFalse();
    }

    @Test
    void headersComeFromTheEnvironmentAndAreNeverShown() {
        TelemetrySettings s = read(
                "{\"traces\":{\"enabled\":true}}",
                Map.of(
                        "OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=s3cr%2Ft,x-tenant=a",
                        "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-tenant=b"));
        assertThat(s.traces().headers()).containsEntry("x-api-key", "s3cr/t").containsEntry("x-tenant", "b");
        assertThat(s.toString()).contains("x-api-key").doesNotContain("s3cr");
        assertThatThrownBy(() -> read("{}", Map.of("OTEL_EXPORTER_OTLP_HEADERS", "ok=1,justAsecretValue")))
                .hasMessage("OTEL_EXPORTER_OTLP_HEADERS: entry 2 must be key=value with a header name as key");
    }
}
