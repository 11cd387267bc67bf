package io.opsmcp.tools.system.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.core.tool.ToolsetSandboxProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The hosts sandbox as the server finds it: through ServiceLoader, emitting the hosts: configuration. */
class HostsSandboxProviderTest {

    @TempDir
    Path dir;

    private static ToolsetSandboxProvider provider() {
        return ServiceLoader.load(ToolsetSandboxProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.toolset().equals("hosts"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void addsTheSandboxHostAndItsThreeAliasesToTheConfiguration() {
        try (ToolsetSandbox sandbox = provider().start(dir)) {
            ObjectNode settings = JsonNodeFactory.instance.objectNode();
            settings.putArray("hosts").addObject().put("name", "web-1");
            JsonNode configured = sandbox.configure(settings);
            assertThat(settings.get("hosts")).hasSize(1);
            JsonNode hosts = configured.get("hosts");
            assertThat(hosts)
                    .extracting(h -> h.get("name").asString())
                    .containsExactly("web-1", "sandbox", "sandbox-staging", "sandbox-prod", "sandbox-lab");
            JsonNode dev = hosts.get(1);
            assertThat(dev.get("address").asString()).isEqualTo("127.0.0.1");
            assertThat(dev.get("environment").asString()).isEqualTo("dev");
            assertThat(dev.get("auth").get("type").asString()).isEqualTo("key_file");
            assertThat(Path.of(dev.get("known_hosts").asString())).exists();
            // The client key is written when the SSH server starts (in the background, or for the first
            // connection), before the server answers: a client that has its greeting can read the key.
            try (java.net.Socket socket =
                    new java.net.Socket("127.0.0.1", dev.get("port").asInt())) {
                socket.setSoTimeout(60_000);
                assertThat(new String(
                                socket.getInputStream().readNBytes(8), java.nio.charset.StandardCharsets.US_ASCII))
                        .isEqualTo("SSH-2.0-");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThat(Files.exists(dir.resolve("client_key"))).isTrue();
            assertThat(hosts.get(3).get("environment").asString()).isEqualTo("prod");
        }
    }

    @Test
    void reservedNamesAreRefused() {
        try (ToolsetSandbox sandbox = provider().start(dir)) {
            ObjectNode settings = JsonNodeFactory.instance.objectNode();
            settings.putArray("hosts").addObject().put("name", "sandbox-1");
            assertThatThrownBy(() -> sandbox.configure(settings))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reserved for --sandbox");
        }
    }
}
