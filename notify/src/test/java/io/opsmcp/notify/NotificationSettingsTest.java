package io.opsmcp.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class NotificationSettingsTest {

    private static final String SECRET = "s3cr3t-".repeat(6);

    private static JsonNode yaml(String text) {
        return new YAMLMapper().readTree(text);
    }

    @Test
    void readsSinksWithSecretsFromTheEnvironmentAndNeverShowsThem() {
        var settings = NotificationSettings.fromConfig(
                        yaml("""
                                notifications:
                                  sinks:
                                    - {name: hook, type: webhook, url: "https://hooks.example.com/x", secret_env: HOOK_SECRET}
                                    - {name: oncall, type: slack, url_env: SLACK_URL, environments: [prod], events: [requested]}
                                  max_attempts: 3
                                  initial_backoff: 2s
                                """),
                        Map.of("HOOK_SECRET", SECRET, "SLACK_URL", "https://hooks.slack.com/services/T/B/XYZSECRET"))
                .orElseThrow();
        assertThat(settings.sinks()).hasSize(2);
        assertThat(settings.maxAttempts()).isEqualTo(3);
        assertThat(settings.sinks().get(0).secret()).isPresent();
        assertThat(settings.toString()).doesNotContain(SECRET, "XYZSECRET");
    }

    @Test
    void badSettingsNameTheFieldAndNeverEchoTheUrlOrSecret() {
        assertThatThrownBy(() -> NotificationSettings.fromConfig(
                        yaml("notifications: {sinks: [{name: a, type: email, url: 'https://x.example'}]}"), Map.of()))
                .hasMessage("notifications.sinks[0].type: must be webhook, slack or teams");
        assertThatThrownBy(() -> NotificationSettings.fromConfig(
                        yaml("notifications: {sinks: [{name: a, type: slack, url: 'http://hooks.example/XYZSECRET'}]}"),
                        Map.of()))
                .hasMessageStartingWith("notifications.sinks[0].url: must be an absolute https URL")
                .hasMessageNotContaining("XYZSECRET");
        assertThatThrownBy(() -> NotificationSettings.fromConfig(
                        yaml("notifications: {sinks: [{name: a, type: webhook, url: 'https://x.example', secret: x}]}"),
                        Map.of()))
                .hasMessageContaining("notifications.sinks[0].secret: unknown setting")
                .hasMessageContaining("secret_env");
        assertThatThrownBy(() -> NotificationSettings.fromConfig(
                        yaml("notifications: {sinks: [{name: a, type: webhook, url: 'https://x.example',"
                                + " secret_env: S}]}"),
                        Map.of("S", "short")))
                .hasMessageStartingWith("notifications.sinks[0].secret_env: the secret must be at least 32 bytes")
                .hasMessageNotContaining("short");
        assertThatThrownBy(() -> NotificationSettings.fromConfig(
                        yaml("notifications: {sinks: [{name: a, type: teams, url_env: T}]}"), Map.of()))
                .hasMessage("notifications.sinks[0].url_env: environment variable T is not set");
        assertThatThrownBy(() -> NotificationSettings.fromConfig(
                        yaml("notifications: {sinks: [{name: a, type: teams, url: 'https://x.example'}],"
                                + " initial_backoff: soon}"),
                        Map.of()))
                .hasMessageStartingWith("notifications.initial_backoff: must be a duration");
    }
}
