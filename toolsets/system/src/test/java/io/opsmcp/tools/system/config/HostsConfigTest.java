package io.opsmcp.tools.system.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.tools.system.ssh.RemoteCommand;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class HostsConfigTest {

    static final Path HOME = Path.of("/home/ops");
    static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode json(String text) {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void readsTheDocumentedExample() {
        HostsConfig c = HostsConfig.parse(json("""
                {'ssh': {'known_hosts': '~/.ssh/known_hosts', 'connect_timeout_seconds': 10,
                         'command_timeout_seconds': 20, 'max_output_bytes': 262144},
                 'hosts': [{'name': 'web-1', 'address': '10.0.1.15', 'port': 22, 'user': 'ops',
                            'auth': {'type': 'key_file', 'key_file': '~/.ssh/ops_ed25519'},
                            'host_group': 'web', 'environment': 'prod'},
                           {'name': 'db-1', 'address': 'db-1.internal', 'user': 'ops', 'auth': {'type': 'agent'}}]}
                """), HOME);
        assertThat(c.ssh().knownHosts()).isEqualTo(HOME.resolve(".ssh/known_hosts"));
        assertThat(c.ssh().commandTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.hosts()).hasSize(2);
        HostEntry web = c.hosts().get(0);
        assertThat(web.auth()).isEqualTo(new HostAuth.KeyFile(HOME.resolve(".ssh/ops_ed25519")));
        assertThat(web.environment()).isEqualTo("prod");
        assertThat(c.hosts().get(1).port()).isEqualTo(22);
        assertThat(c.hosts().get(1).auth()).isInstanceOf(HostAuth.Agent.class);
    }

    @Test
    void defaultsWhenSectionsAreMissing() {
        HostsConfig c = HostsConfig.parse(json("{}"), HOME);
        assertThat(c.hosts()).isEmpty();
        assertThat(c.ssh().knownHosts()).isEqualTo(HOME.resolve(".ssh/known_hosts"));
        assertThat(c.ssh().maxOutputBytes()).isEqualTo(262144);
    }

    @Test
    void errorsNameTheSettingAndTheRule() {
        String ok = "{'name': 'a', 'address': 'h', 'user': 'u', 'auth': {'type': 'agent'}}";
        assertThatThrownBy(() -> HostsConfig.parse(
                        json("{'hosts': [" + ok + ", {'name': 'b', 'address': 'h', "
                                + "'user': 'u', 'port': 70000, 'auth': {'type': 'agent'}}]}"),
                        HOME))
                .hasMessage("hosts[1].port: must be 1..65535, not 70000");
        assertThatThrownBy(() -> HostsConfig.parse(json("{'hosts': [{'name': 'Web 1'}]}"), HOME))
                .hasMessageStartingWith("hosts[0].name: 'Web 1' must match");
        assertThatThrownBy(() -> HostsConfig.parse(json("{'hosts': [" + ok + ", " + ok + "]}"), HOME))
                .hasMessageStartingWith("hosts[1].name: 'a' is already used");
        assertThatThrownBy(() -> HostsConfig.parse(
                        json("{'hosts': [{'name': 'a', 'address': 'h', 'user': 'u', "
                                + "'auth': {'type': 'password'}}]}"),
                        HOME))
                .hasMessage("hosts[0].auth.type: must be key_file or agent, not 'password'");
        assertThatThrownBy(() -> HostsConfig.parse(
                        json("{'hosts': [{'name': 'a', 'address': 'h', 'user': 'u', "
                                + "'auth': {'type': 'key_file'}}]}"),
                        HOME))
                .hasMessage("hosts[0].auth.key_file: is required");
        assertThatThrownBy(() -> HostsConfig.parse(json("{'ssh': {'command_timeout_seconds': 0}}"), HOME))
                .hasMessage("ssh.command_timeout_seconds: must be 1..3600, not 0");
        assertThatThrownBy(() ->
                        HostsConfig.parse(json("{'hosts': [{'name': 'a', 'address': 'h;id', 'user': 'u'}]}"), HOME))
                .hasMessage("hosts[0].address: must be a DNS name or an IP address");
        assertThatThrownBy(() -> HostsConfig.parse(json("{'hosts': [{'name': 'a', 'adress': 'h'}]}"), HOME))
                .hasMessageStartingWith("hosts[0].adress: unknown setting");
    }

    @Test
    void sectionsAreBoundToRecordsWithUnknownKeysAndWrongTypesNamed() {
        assertThatThrownBy(() -> HostsConfig.parse(json("{'ssh': {'known_host': '/x'}}"), HOME))
                .hasMessageStartingWith("ssh.known_host: unknown setting; valid: command_timeout_seconds, "
                        + "connect_timeout_seconds, idle_close_seconds, known_hosts,");
        assertThatThrownBy(() -> HostsConfig.parse(
                        json("{'hosts': [{'name': 'a', 'address': 'h', 'user': 'u', "
                                + "'auth': {'type': 'agent', 'keyfile': '/k'}}]}"),
                        HOME))
                .hasMessage("hosts[0].auth.keyfile: unknown setting; valid: key_file, type");
        assertThatThrownBy(() -> HostsConfig.parse(
                        json("{'hosts': [{'name': 'a', 'address': 'h', 'user': 'u', "
                                + "'port': 'ssh', 'auth': {'type': 'agent'}}]}"),
                        HOME))
                .hasMessageStartingWith("hosts[0].port: must be a whole number");
        assertThatThrownBy(() -> HostsConfig.parse(json("{'ssh': {'max_output_bytes': true}}"), HOME))
                .hasMessageStartingWith("ssh.max_output_bytes: must be");
        // environment-variable overrides arrive as strings
        HostsConfig c = HostsConfig.parse(
                json("{'ssh': {'command_timeout_seconds': '30'}, 'hosts': [{'name': 'a', "
                        + "'address': 'h', 'user': 'u', 'port': '2222', 'trust_on_first_use': 'true', "
                        + "'auth': {'type': 'agent'}}]}"),
                HOME);
        assertThat(c.ssh().commandTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.hosts().get(0).port()).isEqualTo(2222);
        assertThat(c.hosts().get(0).trustOnFirstUse()).isTrue();
    }

    @Test
    void shellQuotingSurvivesEverySpecialCharacter() {
        assertThat(RemoteCommand.of("echo", "it's $(id)").toShellString()).isEqualTo("'echo' 'it'\\''s $(id)'");
        assertThatThrownBy(() -> RemoteCommand.of("echo", "a\nb")).isInstanceOf(IllegalArgumentException.class);
    }
}
