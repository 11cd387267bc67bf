package io.opsmcp.server.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.opsmcp.server.config.ConfigException;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.tools.system.sandbox.SandboxSshServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --sandbox}: an embedded SSH server on a random loopback port that runs the host tools' commands on
 * this machine, registered as host {@value #HOST} (environment {@code dev}). Lets the server be tried with no
 * external systems. Its keys live under the given directory; its host key is added to a copy of the
 * configured known_hosts, so verification stays on.
 */
public final class Sandbox implements AutoCloseable {

    /** Name of the sandbox host in tool arguments. */
    public static final String HOST = SandboxSshServer.HOST_NAME;

    private final SandboxSshServer server;
    private final Path dir;

    private Sandbox(SandboxSshServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** Starts the embedded SSH server, generating keys in {@code dir}. */
    public static Sandbox start(Path dir) {
        try {
            Files.createDirectories(dir);
            return new Sandbox(SandboxSshServer.start(dir), dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox SSH server: " + e.getMessage(), e);
        }
    }

    /**
     * Returns a copy of the configuration with host {@value #HOST} added to {@code hosts} and
     * {@code ssh.known_hosts} pointing at the configured file plus the sandbox's host key.
     *
     * @throws ConfigException when the configuration already has a host named {@value #HOST}
     */
    public JsonNode addTo(JsonNode config) {
        ObjectNode copy = config.isObject() ? (ObjectNode) config.deepCopy() : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        JsonNode existing = copy.get("hosts");
        ArrayNode hosts = existing != null && existing.isArray() ? (ArrayNode) existing : copy.putArray("hosts");
        for (JsonNode host : hosts) {
            if (HOST.equals(host.path("name").asString(""))) {
                throw new ConfigException("hosts: a host named '" + HOST + "' is configured; it is reserved for --sandbox");
            }
        }
        hosts.add(server.hostConfig());
        ObjectNode ssh = copy.get("ssh") instanceof ObjectNode o ? o : copy.putObject("ssh");
        ssh.put("known_hosts", mergedKnownHosts(ssh.path("known_hosts").asString("~/.ssh/known_hosts")).toString());
        return copy;
    }

    private Path mergedKnownHosts(String configured) {
        Path merged = dir.resolve("known_hosts.merged");
        try {
            StringBuilder content = new StringBuilder();
            Path userFile = ConfigLoader.expandHome(configured);
            if (Files.isRegularFile(userFile)) {
                content.append(Files.readString(userFile, StandardCharsets.UTF_8));
                if (content.length() > 0 && content.charAt(content.length() - 1) != '\n') {
                    content.append('\n');
                }
            }
            content.append(Files.readString(server.knownHosts(), StandardCharsets.UTF_8));
            Files.writeString(merged, content, StandardCharsets.UTF_8);
            return merged;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + merged + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the sandbox SSH server: " + e.getMessage(), e);
        }
    }
}
