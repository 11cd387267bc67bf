package io.opsmcp.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.config.InvalidConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AlertSettingsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "am-token-0123456789abcdef";

    private static AlertSettings read(String json, Map<String, String> env) {
        return AlertSettings.from(JSON.readTree(json), env);
    }

    @Test
    void readsEveryReceiverWithSecretsFromTheEnvironmentAndKeepsOnlyTheirDigest() {
        AlertSettings s =
                read("""
                {"retention": "3d", "max_alerts": 500, "aws_defaults": {"account": "sandbox", "region": "eu-west-1"},
                 "alertmanager": {"bearer_token": {"env": "AM"}, "max_body_bytes": 65536},
                 "sns": {"topic_arns": ["arn:aws:sns:eu-west-1:123456789012:ops-alarms"]},
                 "gitlab": {"token": {"sha256": "%s"}}}""".formatted(io.opsmcp.alerts.Ids.sha256Hex("gitlab-token-0123456789")), Map.of("AM", TOKEN));
        assertThat(s.retention()).isEqualTo(Duration.ofDays(3));
        assertThat(s.maxAlerts()).isEqualTo(500);
        assertThat(s.alertmanager().orElseThrow().bearerToken().matches(TOKEN)).isTrue();
        assertThat(s.alertmanager().orElseThrow().bearerToken().matches(TOKEN + "x"))
                .isFalse();
        assertThat(s.alertmanager().orElseThrow().maxBodyBytes()).isEqualTo(65536);
        assertThat(s.gitlab().orElseThrow().token().matches("gitlab-token-0123456789"))
                .isTrue();
        assertThat(s.sns().orElseThrow().maxBodyBytes()).isEqualTo(AlertSettings.DEFAULT_MAX_BODY_BYTES);
        assertThat(s.toString()).doesNotContain(TOKEN);
        assertThat(AlertSettings.from(null, Map.of()).enabled()).isFalse();
    }

    @Test
    void namesTheFieldAndTheRuleOfEveryMistake() {
        assertThatThrownBy(() -> read("{\"alertmanager\": {\"bearer_token\": {\"env\": \"NOPE\"}}}", Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("alerts.alertmanager.bearer_token.env: environment variable NOPE is not set");
        assertThatThrownBy(() -> read("{\"alertmanager\": {}}", Map.of()))
                .hasMessageStartingWith("alerts.alertmanager: give exactly one of bearer_token and basic");
        assertThatThrownBy(() -> read("{\"gitlab\": {}}", Map.of()))
                .hasMessageStartingWith("alerts.gitlab.token: required");
        assertThatThrownBy(() -> read("{\"gitlab\": {\"token\": {\"env\": \"T\"}}}", Map.of("T", "short")))
                .hasMessage("alerts.gitlab.token: the secret must be at least 16 characters");
        assertThatThrownBy(() -> read("{\"sns\": {\"topic_arns\": []}}", Map.of()))
                .hasMessageStartingWith("alerts.sns.topic_arns: required");
        assertThatThrownBy(() -> read("{\"sns\": {\"topic_arns\": [\"ops-alarms\"]}}", Map.of()))
                .hasMessageStartingWith("alerts.sns.topic_arns[0]: must be an SNS topic ARN");
        assertThatThrownBy(() -> read("{\"retention\": \"soon\"}", Map.of()))
                .hasMessageStartingWith("alerts.retention: must be a duration");
        assertThatThrownBy(() -> read(
                        "{\"gitlab\": {\"token\": {\"env\": \"T\"}, \"max_body_bytes\": 10}}",
                        Map.of("T", "gitlab-token-0123456789")))
                .hasMessageStartingWith("alerts.gitlab.max_body_bytes: must be between 1024");
        assertThatThrownBy(() -> read("{\"gitlab\": {\"tokn\": {}}}", Map.of()))
                .hasMessageContaining("alerts.gitlab.tokn")
                .hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> read("{\"aws_defaults\": {\"acount\": \"x\"}}", Map.of()))
                .hasMessageStartingWith("alerts.aws_defaults.acount: unknown setting");
    }
}
