package io.opsmcp.tools.system.sandbox;

import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.core.tool.ToolsetSandboxProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * ServiceLoader entry of the {@code hosts} toolset's sandbox: starts the embedded SSH server
 * ({@link SandboxSshServer}) and adds it to the {@code hosts:} configuration as host {@value SandboxSshServer#HOST_NAME}
 * (dev), and under three more names to show the policy at work: {@value #SANDBOX_STAGING} (a staging host group),
 * {@value #SANDBOX_PROD} (a prod host group) and {@value #SANDBOX_LAB} (a group no environment covers). All four
 * are this machine; the entries carry their own known_hosts file, so the user's {@code ssh.known_hosts} is left
 * alone.
 */
public final class HostsSandboxProvider implements ToolsetSandboxProvider {

    /** Sandbox alias in a staging host group (changes need one approval; the requester may give it). */
    public static final String SANDBOX_STAGING = "sandbox-staging";
    /** Sandbox alias of the same machine in a production host group (changes there need approval). */
    public static final String SANDBOX_PROD = "sandbox-prod";
    /** Sandbox alias in a host group that no environment of the default policy covers (out of scope). */
    public static final String SANDBOX_LAB = "sandbox-lab";

    @Override
    public String toolset() {
        return "hosts";
    }

    /**
     * Writes the keys and binds the port; the SSH server proper starts in {@link ToolsetSandbox#startInBackground()}
     * or on the first connection ({@link SandboxSshServer#open}), keeping its classes off a stdio server's
     * {@code initialize} path.
     *
     * @throws IllegalStateException when the keys cannot be written or no port can be bound
     */
    @Override
    public ToolsetSandbox start(Path dir) {
        SandboxSshServer server;
        try {
            server = SandboxSshServer.open(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the sandbox SSH server: " + e.getMessage(), e);
        }
        return new ToolsetSandbox() {
            @Override
            public JsonNode configure(JsonNode settings) {
                return withSandboxHosts(settings, server.hostConfig());
            }

            @Override
            public void startInBackground() {
                server.startInBackground();
            }

            @Override
            public void close() {
                try {
                    server.close();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot stop the sandbox SSH server: " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * A copy of {@code settings} with {@code dev} and its three aliases appended to {@code hosts:}.
     *
     * @throws IllegalArgumentException when a configured host name starts with {@value SandboxSshServer#HOST_NAME}
     */
    static JsonNode withSandboxHosts(JsonNode settings, ObjectNode dev) {
        ObjectNode copy = settings != null && settings.isObject()
                ? (ObjectNode) settings.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        JsonNode existing = copy.get("hosts");
        ArrayNode hosts = existing != null && existing.isArray() ? (ArrayNode) existing : copy.putArray("hosts");
        for (JsonNode host : hosts) {
            if (host.path("name").asString("").startsWith(SandboxSshServer.HOST_NAME)) {
                throw new IllegalArgumentException(
                        "hosts: host '" + host.path("name").asString()
                                + "' is configured; names starting with '" + SandboxSshServer.HOST_NAME
                                + "' are reserved for --sandbox");
            }
        }
        hosts.add(dev);
        hosts.add(alias(dev, SANDBOX_STAGING, "staging-sandbox", "staging"));
        hosts.add(alias(dev, SANDBOX_PROD, "sandbox-prod", "prod"));
        hosts.add(alias(dev, SANDBOX_LAB, "lab", "lab"));
        return copy;
    }

    private static ObjectNode alias(ObjectNode host, String name, String group, String environment) {
        ObjectNode copy = host.deepCopy();
        copy.put("name", name);
        copy.put("host_group", group);
        copy.put("environment", environment);
        return copy;
    }
}
