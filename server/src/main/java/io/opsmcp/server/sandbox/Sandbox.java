package io.opsmcp.server.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.opsmcp.server.config.ConfigException;
import io.opsmcp.tools.system.sandbox.SandboxSshServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --sandbox}: an embedded SSH server on a random loopback port that runs the host tools' commands on
 * this machine, registered as host {@value #HOST} (environment {@code dev}). Lets the server be tried with no
 * external systems. Its keys and its own known_hosts file live under the given directory, so host-key
 * verification stays on.
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
     * Returns a copy of the configuration with host {@value #HOST} added to {@code hosts}. The entry carries
     * its own known_hosts file, so the user's {@code ssh.known_hosts} is left alone.
     *
     * @throws ConfigException when the configuration already has a host named {@value #HOST}
     */
    public JsonNode addTo(JsonNode config) {
        ObjectNode copy = config.isObject() ? (ObjectNode) config.deepCopy() : JsonNodeFactory.instance.objectNode();
        JsonNode existing = copy.get("hosts");
        ArrayNode hosts = existing != null && existing.isArray() ? (ArrayNode) existing : copy.putArray("hosts");
        for (JsonNode host : hosts) {
            if (HOST.equals(host.path("name").asString(""))) {
                throw new ConfigException("hosts: a host named '" + HOST + "' is configured; it is reserved for --sandbox");
            }
        }
        hosts.add(server.hostConfig());
        return copy;
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
