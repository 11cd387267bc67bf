package io.opsmcp.tools.system.hosts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.tools.system.catalog.CommandCatalog;
import io.opsmcp.tools.system.sandbox.SandboxSshServer;
import io.opsmcp.tools.system.ssh.HostsConfig;
import io.opsmcp.tools.system.ssh.SshExecutor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * ServiceLoader entry point of the {@code hosts} toolset. Reads the {@code ssh:} and {@code hosts:} sections
 * (format in {@code toolsets/system/README.md}); the ssh-agent socket comes from {@code SSH_AUTH_SOCK}.
 */
public final class HostToolsetProvider implements OpsToolsetProvider {

    static final String NAME = "hosts";
    static final String DESCRIPTION = "Linux hosts over SSH: diagnostics (uptime, disk, memory, services, journal, "
            + "processes), the configurable command catalog (host_tail_file, host_http_probe, …) and service restarts";

    @Override
    public String name() {
        return NAME;
    }

    @Override public java.util.Set<String> settingsSections() { return java.util.Set.of("hosts", "ssh", "host_changes", "host_catalog"); }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    /**
     * @throws IllegalArgumentException naming the setting, e.g. {@code hosts[1].port: must be 1..65535, not 0}
     */
    @Override
    public OpsToolset create(JsonNode settings, Path dataDir) {
        HostsConfig config = HostsConfig.parse(settings, Path.of(System.getProperty("user.home")), dataDir);
        String agent = System.getenv("SSH_AUTH_SOCK");
        Path agentSocket = agent == null || agent.isBlank() ? null : Path.of(agent);
        CommandCatalog catalog = CommandCatalog.parse(settings);
        MutatingSettings mutating = MutatingSettings.parse(settings);
        return new HostToolset(config, catalog, mutating, new SshExecutor(config.ssh(), agentSocket));
    }

    /** Sandbox alias in a staging host group (changes need one approval; the requester may give it). */
    public static final String SANDBOX_STAGING = "sandbox-staging";
    /** Sandbox alias of the same machine in a production host group (changes there need approval). */
    public static final String SANDBOX_PROD = "sandbox-prod";
    /** Sandbox alias in a host group that no environment of the default policy covers (out of scope). */
    public static final String SANDBOX_LAB = "sandbox-lab";

    private static ObjectNode alias(ObjectNode host, String name, String group, String environment) {
        ObjectNode copy = host.deepCopy();
        copy.put("name", name);
        copy.put("host_group", group);
        copy.put("environment", environment);
        return copy;
    }

    /**
     * Starts the embedded SSH server ({@link SandboxSshServer}) and registers it as host {@code sandbox} (dev),
     * and under three more names to show the policy at work: {@value #SANDBOX_STAGING} (a staging host group),
     * {@value #SANDBOX_PROD} (a prod host group) and {@value #SANDBOX_LAB} (a group no environment covers). All four are this machine; the entries carry
     * their own known_hosts file, so the user's {@code ssh.known_hosts} is left alone.
     */
    @Override
    public Optional<ToolsetSandbox> startSandbox(Path dir) {
        SandboxSshServer server;
        try {
            server = SandboxSshServer.start(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox SSH server: " + e.getMessage(), e);
        }
        return Optional.of(new ToolsetSandbox() {
            @Override
            public JsonNode configure(JsonNode settings) {
                ObjectNode copy = settings.isObject() ? (ObjectNode) settings.deepCopy()
                        : JsonNodeFactory.instance.objectNode();
                JsonNode existing = copy.get("hosts");
                ArrayNode hosts = existing != null && existing.isArray() ? (ArrayNode) existing : copy.putArray("hosts");
                for (JsonNode host : hosts) {
                    if (host.path("name").asString("").startsWith(SandboxSshServer.HOST_NAME)) {
                        throw new IllegalArgumentException("hosts: host '" + host.path("name").asString()
                                + "' is configured; names starting with '" + SandboxSshServer.HOST_NAME
                                + "' are reserved for --sandbox");
                    }
                }
                ObjectNode dev = server.hostConfig();
                hosts.add(dev);
                hosts.add(alias(dev, SANDBOX_STAGING, "staging-sandbox", "staging"));
                hosts.add(alias(dev, SANDBOX_PROD, "sandbox-prod", "prod"));
                hosts.add(alias(dev, SANDBOX_LAB, "lab", "lab"));
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
        });
    }
}
