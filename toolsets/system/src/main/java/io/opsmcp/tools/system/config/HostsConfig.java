package io.opsmcp.tools.system.config;

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
        JsonNode ssh = child(settings, "ssh", "ssh");
        if (ssh != null) {
            allowOnly(ssh, "ssh", Set.of("known_hosts", "connect_timeout_seconds", "command_timeout_seconds",
                    "max_output_bytes", "tofu_known_hosts", "max_concurrent_per_host", "idle_close_seconds"));
        }
        Path knownHosts = path(ssh, "known_hosts", "ssh.known_hosts", home, "~/.ssh/known_hosts");
        Path tofuDefault = dataDir != null ? dataDir.resolve("tofu_known_hosts")
                : knownHosts.resolveSibling("tofu_known_hosts");
        Path tofu = ssh != null && ssh.hasNonNull("tofu_known_hosts")
                ? path(ssh, "tofu_known_hosts", "ssh.tofu_known_hosts", home, null) : tofuDefault;
        SshSettings sshSettings = new SshSettings(knownHosts,
                Duration.ofSeconds(integer(ssh, "connect_timeout_seconds", "ssh.connect_timeout_seconds",
                        DEFAULT_CONNECT_TIMEOUT_SECONDS, 1, 300)),
                Duration.ofSeconds(integer(ssh, "command_timeout_seconds", "ssh.command_timeout_seconds",
                        DEFAULT_COMMAND_TIMEOUT_SECONDS, 1, 3600)),
                integer(ssh, "max_output_bytes", "ssh.max_output_bytes", DEFAULT_MAX_OUTPUT_BYTES, 1024, 16 << 20),
                tofu,
                integer(ssh, "max_concurrent_per_host", "ssh.max_concurrent_per_host",
                        SshSettings.DEFAULT_MAX_CONCURRENT_PER_HOST, 1, 64),
                Duration.ofSeconds(integer(ssh, "idle_close_seconds", "ssh.idle_close_seconds",
                        (int) SshSettings.DEFAULT_IDLE_CLOSE.toSeconds(), 5, 3600)));

        JsonNode list = settings == null ? null : settings.get("hosts");
        Map<String, Raw> raw = new LinkedHashMap<>();
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("hosts: must be a list of host entries");
            }
            for (int i = 0; i < list.size(); i++) {
                String at = "hosts[" + i + "]";
                Raw host = host(list.get(i), at, home);
                if (raw.putIfAbsent(host.entry().name(), host) != null) {
                    throw new IllegalArgumentException(at + ".name: '" + host.entry().name()
                            + "' is already used by another host; names must be unique");
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
    private record Raw(HostEntry entry, String proxyJump, String at) {
    }

    /** Links each host to its jump host, depth first; a jump chain that loops is an error. */
    private static HostEntry resolve(String name, Map<String, Raw> raw, Map<String, HostEntry> resolved,
                                     Set<String> visiting) {
        HostEntry done = resolved.get(name);
        if (done != null) {
            return done;
        }
        Raw host = raw.get(name);
        if (!visiting.add(name)) {
            throw new IllegalArgumentException(host.at() + ".proxy_jump: the jump chain loops: "
                    + String.join(" -> ", visiting) + " -> " + name);
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
        HostEntry linked = new HostEntry(e.name(), e.address(), e.port(), e.user(), e.auth(), e.hostGroup(),
                e.environment(), e.knownHosts(), jump, e.trustOnFirstUse(), e.maxConcurrent());
        visiting.remove(name);
        resolved.put(name, linked);
        return linked;
    }

    private static Raw host(JsonNode node, String at, Path home) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(at + ": must be a mapping with name, address, user and auth");
        }
        allowOnly(node, at, Set.of("name", "address", "port", "user", "auth", "host_group", "environment", "known_hosts",
                "proxy_jump", "trust_on_first_use", "max_concurrent"));
        String name = string(node, "name", at + ".name", true);
        if (!HostEntry.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(at + ".name: '" + name + "' must match " + HostEntry.NAME_PATTERN);
        }
        String address = string(node, "address", at + ".address", true);
        if (!address.matches("^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$")) {
            throw new IllegalArgumentException(at + ".address: must be a DNS name or an IP address");
        }
        int port = integer(node, "port", at + ".port", 22, 1, 65535);
        String user = string(node, "user", at + ".user", true);
        if (!user.matches("^[A-Za-z_][A-Za-z0-9._-]{0,31}$")) {
            throw new IllegalArgumentException(at + ".user: '" + user + "' must be a POSIX user name");
        }
        HostAuth auth = auth(node.get("auth"), at + ".auth", home);
        String group = label(node, "host_group", at + ".host_group");
        String environment = label(node, "environment", at + ".environment");
        Path knownHosts = node.hasNonNull("known_hosts")
                ? path(node, "known_hosts", at + ".known_hosts", home, null) : null;
        String proxyJump = label(node, "proxy_jump", at + ".proxy_jump");
        if (name.equals(proxyJump)) {
            throw new IllegalArgumentException(at + ".proxy_jump: a host cannot jump through itself");
        }
        boolean tofu = bool(node, "trust_on_first_use", at + ".trust_on_first_use");
        int maxConcurrent = integer(node, "max_concurrent", at + ".max_concurrent", 0, 1, 64);
        return new Raw(new HostEntry(name, address, port, user, auth, group, environment, knownHosts, null, tofu,
                maxConcurrent), proxyJump, at);
    }

    private static HostAuth auth(JsonNode node, String at, Path home) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(at + ": is required ({type: key_file, key_file: PATH} or {type: agent})");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(at + ": must be a mapping ({type: key_file, key_file: PATH} or {type: agent})");
        }
        String type = string(node, "type", at + ".type", true);
        switch (type) {
            case "key_file" -> {
                allowOnly(node, at, Set.of("type", "key_file"));
                return new HostAuth.KeyFile(path(node, "key_file", at + ".key_file", home, null));
            }
            case "agent" -> {
                allowOnly(node, at, Set.of("type"));
                return new HostAuth.Agent();
            }
            default -> throw new IllegalArgumentException(at + ".type: must be key_file or agent, not '" + type + "'");
        }
    }

    private static JsonNode child(JsonNode parent, String key, String at) {
        JsonNode node = parent == null ? null : parent.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(at + ": must be a mapping");
        }
        return node;
    }

    private static void allowOnly(JsonNode node, String at, Set<String> allowed) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!allowed.contains(e.getKey())) {
                throw new IllegalArgumentException(at + "." + e.getKey() + ": unknown setting; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static String string(JsonNode parent, String key, String at, boolean required) {
        JsonNode node = parent == null ? null : parent.get(key);
        if (node == null || node.isNull()) {
            if (required) {
                throw new IllegalArgumentException(at + ": is required");
            }
            return null;
        }
        if (!node.isString() || node.asString().isBlank()) {
            throw new IllegalArgumentException(at + ": must be a non-empty string");
        }
        return node.asString().trim();
    }

    private static String label(JsonNode parent, String key, String at) {
        String value = string(parent, key, at, false);
        if (value != null && !value.matches("^[a-z0-9][a-z0-9._-]{0,62}$")) {
            throw new IllegalArgumentException(at + ": '" + value + "' must match ^[a-z0-9][a-z0-9._-]{0,62}$");
        }
        return value;
    }

    private static boolean bool(JsonNode parent, String key, String at) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString() && node.asString().trim().matches("^(true|false)$")) {
            return Boolean.parseBoolean(node.asString().trim());
        }
        throw new IllegalArgumentException(at + ": must be true or false");
    }

    private static int integer(JsonNode parent, String key, String at, int fallback, int min, int max) {
        JsonNode node = parent == null ? null : parent.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.longValue();
        } else if (node.isString() && node.asString().trim().matches("^\\d{1,9}$")) {
            // environment-variable overrides arrive as strings
            value = Long.parseLong(node.asString().trim());
        } else {
            throw new IllegalArgumentException(at + ": must be a whole number " + min + ".." + max);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(at + ": must be " + min + ".." + max + ", not " + value);
        }
        return (int) value;
    }

    private static Path path(JsonNode parent, String key, String at, Path home, String fallback) {
        String value = string(parent, key, at, fallback == null);
        if (value == null) {
            value = fallback;
        }
        if (value.contains("\0")) {
            throw new IllegalArgumentException(at + ": must be a file path");
        }
        if (value.equals("~")) {
            return home;
        }
        if (value.startsWith("~/")) {
            return home.resolve(value.substring(2));
        }
        return Path.of(value).toAbsolutePath();
    }
}
