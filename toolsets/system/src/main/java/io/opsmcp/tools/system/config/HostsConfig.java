package io.opsmcp.tools.system.config;

import io.opsmcp.toolkit.config.ConfigBinding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The {@code ssh:} and {@code hosts:} sections of the configuration, validated. The format is documented in
 * {@code toolsets/system/README.md}.
 *
 * @param ssh   shared SSH settings
 * @param hosts configured hosts in configuration order, names unique
 */
public record HostsConfig(SshSettings ssh, List<HostEntry> hosts) {

    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    static final int DEFAULT_COMMAND_TIMEOUT_SECONDS = 20;
    static final int DEFAULT_MAX_OUTPUT_BYTES = 262_144;

    public HostsConfig {
        hosts = List.copyOf(hosts);
    }

    /**
     * Reads the sections from the whole configuration tree. A leading {@code ~/} in a path means {@code home};
     * other relative paths are resolved against the working directory.
     *
     * @throws IllegalArgumentException naming the setting and the rule it breaks, e.g.
     *                                  {@code hosts[1].port: must be 1..65535}
     */
    public static HostsConfig parse(JsonNode settings, Path home) {
        return parse(settings, home, null);
    }

    /**
     * As {@link #parse(JsonNode, Path)}; keys trusted on first use are pinned in {@code ssh.tofu_known_hosts},
     * by default {@code DATA_DIR/tofu_known_hosts} (or next to {@code ssh.known_hosts} when {@code dataDir} is
     * {@code null}).
     */
    public static HostsConfig parse(JsonNode settings, Path home, Path dataDir) {
        SshSection ssh = ConfigBinding.bind(settings == null ? null : settings.get("ssh"), "ssh", SshSection.class);
        Path knownHosts = path(ssh.knownHosts() == null ? "~/.ssh/known_hosts" : ssh.knownHosts(), home);
        Path tofu = ssh.tofuKnownHosts() != null
                ? path(ssh.tofuKnownHosts(), home)
                : dataDir != null ? dataDir.resolve("tofu_known_hosts") : knownHosts.resolveSibling("tofu_known_hosts");
        SshSettings sshSettings = new SshSettings(
                knownHosts,
                Duration.ofSeconds(or(ssh.connectTimeoutSeconds(), DEFAULT_CONNECT_TIMEOUT_SECONDS)),
                Duration.ofSeconds(or(ssh.commandTimeoutSeconds(), DEFAULT_COMMAND_TIMEOUT_SECONDS)),
                or(ssh.maxOutputBytes(), DEFAULT_MAX_OUTPUT_BYTES),
                tofu,
                or(ssh.maxConcurrentPerHost(), SshSettings.DEFAULT_MAX_CONCURRENT_PER_HOST),
                Duration.ofSeconds(or(ssh.idleCloseSeconds(), (int) SshSettings.DEFAULT_IDLE_CLOSE.toSeconds())));

        JsonNode list = settings == null ? null : settings.get("hosts");
        Map<String, Raw> raw = new LinkedHashMap<>();
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("hosts: must be a list of host entries");
            }
            for (int i = 0; i < list.size(); i++) {
                String at = "hosts[" + i + "]";
                if (!list.get(i).isObject()) {
                    throw new IllegalArgumentException(at + ": must be a mapping with name, address, user and auth");
                }
                Raw host = host(ConfigBinding.bind(list.get(i), at, HostSection.class), at, home);
                if (raw.putIfAbsent(host.entry().name(), host) != null) {
                    throw new IllegalArgumentException(at + ".name: '"
                            + host.entry().name() + "' is already used by another host; names must be unique");
                }
            }
        }
        Map<String, HostEntry> resolved = new LinkedHashMap<>();
        for (String name : raw.keySet()) {
            resolve(name, raw, resolved, new LinkedHashSet<>());
        }
        return new HostsConfig(sshSettings, new ArrayList<>(resolved.values()));
    }

    /** A parsed host whose {@code proxy_jump} is still a name. */
    private record Raw(HostEntry entry, String proxyJump, String at) {}

    /** Links each host to its jump host, depth first; a jump chain that loops is an error. */
    private static HostEntry resolve(
            String name, Map<String, Raw> raw, Map<String, HostEntry> resolved, Set<String> visiting) {
        HostEntry done = resolved.get(name);
        if (done != null) {
            return done;
        }
        Raw host = raw.get(name);
        if (!visiting.add(name)) {
            throw new IllegalArgumentException(
                    host.at() + ".proxy_jump: the jump chain loops: " + String.join(" -> ", visiting) + " -> " + name);
        }
        HostEntry jump = null;
        if (host.proxyJump() != null) {
            if (!raw.containsKey(host.proxyJump())) {
                throw new IllegalArgumentException(host.at() + ".proxy_jump: '" + host.proxyJump()
                        + "' is not a configured host; configured: " + raw.keySet());
            }
            jump = resolve(host.proxyJump(), raw, resolved, visiting);
        }
        HostEntry e = host.entry();
        HostEntry linked = new HostEntry(
                e.name(),
                e.address(),
                e.port(),
                e.user(),
                e.auth(),
                e.hostGroup(),
                e.environment(),
                e.knownHosts(),
                jump,
                e.trustOnFirstUse(),
                e.maxConcurrent());
        visiting.remove(name);
        resolved.put(name, linked);
        return linked;
    }

    private static Raw host(HostSection h, String at, Path home) {
        HostAuth auth = h.auth().type().equals("agent")
                ? new HostAuth.Agent()
                : new HostAuth.KeyFile(path(h.auth().keyFile(), home));
        HostEntry entry = new HostEntry(
                h.name(),
                h.address(),
                or(h.port(), 22),
                h.user(),
                auth,
                h.hostGroup(),
                h.environment(),
                h.knownHosts() == null ? null : path(h.knownHosts(), home),
                null,
                Boolean.TRUE.equals(h.trustOnFirstUse()),
                or(h.maxConcurrent(), 0));
        return new Raw(entry, h.proxyJump(), at);
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    /** {@code ~} is the home directory, {@code ~/x} is under it; other relative paths are against the working directory. */
    private static Path path(String value, Path home) {
        if (value.equals("~")) {
            return home;
        }
        if (value.startsWith("~/")) {
            return home.resolve(value.substring(2));
        }
        return Path.of(value).toAbsolutePath();
    }
}
