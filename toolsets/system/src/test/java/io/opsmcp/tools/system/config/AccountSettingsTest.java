package io.opsmcp.tools.system.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.catalog.CommandCatalog;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code host_changes.accounts:}: defaults, and errors naming the setting and the rule. */
class AccountSettingsTest {

    static JsonNode json(String text) {
        return JsonMapper.builder().build().readTree(text);
    }

    @Test
    void defaultsRefuseSystemUids() {
        assertThat(AccountSettings.parse(json("{}"))).isEqualTo(AccountSettings.DEFAULT);
        assertThat(AccountSettings.DEFAULT.enabled()).isFalse();
        assertThat(AccountSettings.DEFAULT.minUid()).isEqualTo(1000);
        assertThat(AccountSettings.DEFAULT.maxUid()).isEqualTo(60000);
    }

    @Test
    void readsTheSection() {
        AccountSettings s = AccountSettings.parse(json(
                "{\"host_changes\": {\"sudo\": true, \"accounts\": {\"enabled\": true, \"min_uid\": 5000, \"max_uid\": 5999,"
                        + " \"protected_names\": [\"deploy\", \"svc_backup$\"]}}}"));
        assertThat(s).isEqualTo(new AccountSettings(true, 5000, 5999, Set.of("deploy", "svc_backup$")));
    }

    @Test
    void badValuesNameTheSetting() {
        assertThatThrownBy(() -> AccountSettings.parse(json("{\"host_changes\": {\"accounts\": {\"min_uid\": -1}}}")))
                .hasMessage("host_changes.accounts.min_uid: must be a whole number 0..4294967294");
        assertThatThrownBy(() -> AccountSettings.parse(json("{\"host_changes\": {\"accounts\": {\"max_uid\": 10}}}")))
                .hasMessage("host_changes.accounts.max_uid: must be at least min_uid (1000), not 10");
        assertThatThrownBy(() -> AccountSettings.parse(
                        json("{\"host_changes\": {\"accounts\": {\"protected_names\": [\"ok\", \"Bad Name\"]}}}")))
                .hasMessageStartingWith("host_changes.accounts.protected_names[1]: must be a POSIX user name");
        assertThatThrownBy(() -> AccountSettings.parse(json("{\"host_changes\": {\"accounts\": {\"min_ui\": 1}}}")))
                .hasMessage(
                        "host_changes.accounts.min_ui: unknown setting; valid: enabled, max_uid, min_uid, protected_names");
        assertThatThrownBy(() -> AccountSettings.parse(json("{\"host_changes\": {\"acounts\": {}}}")))
                .hasMessage("host_changes.acounts: unknown setting; valid: accounts, exec, sudo");
    }

    @Test
    void userNames() {
        assertThat(AccountSettings.validUserName("jdoe")).isTrue();
        assertThat(AccountSettings.validUserName("_svc-01$")).isTrue();
        assertThat(AccountSettings.validUserName("a".repeat(32))).isTrue();
        assertThat(AccountSettings.validUserName("a".repeat(33))).isFalse();
        assertThat(AccountSettings.validUserName("-rf")).isFalse();
        assertThat(AccountSettings.validUserName("1000")).isFalse();
        assertThat(AccountSettings.validUserName("a$b")).isFalse();
        assertThat(AccountSettings.validUserName(null)).isFalse();
    }

    @Test
    void theAccountToolsExistOnlyWhenEnabled() {
        HostEntry host = new HostEntry(
                "web-1", "127.0.0.1", 1, "ops", new HostAuth.KeyFile(Path.of("/nonexistent")), "web", "prod", null);
        SshSettings ssh = new SshSettings(Path.of("/nonexistent"), Duration.ofSeconds(1), Duration.ofSeconds(1), 4096);
        HostsConfig config = new HostsConfig(ssh, List.of(host));
        try (HostToolset off = new HostToolset(config, new SshExecutor(ssh, null));
                HostToolset on = new HostToolset(
                        config,
                        CommandCatalog.parse(null),
                        MutatingSettings.DEFAULT,
                        AccountSettings.parse(json("{\"host_changes\": {\"accounts\": {\"enabled\": true}}}")),
                        new SshExecutor(ssh, null))) {
            assertThat(off.tools().stream().map(t -> t.definition().name())).noneMatch(n -> n.contains("account"));
            assertThat(on.tools().stream().map(t -> t.definition().name()))
                    .contains("host_account_status", "host_account_unlock", "host_account_expire");
        }
    }
}
