package io.opsmcp.tools.system.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * The {@code ssh:} and {@code hosts:} sections of the configuration, validated. The format is documented in
 * {@code tools-system/README.md}.
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
        JsonNode ssh = child(settings, "ssh", "ssh");
        SshSettings sshSettings = new SshSettings(
                path(ssh, "known_hosts", "ssh.known_hosts", home, "~/.ssh/known_hosts"),
                Duration.ofSeconds(integer(ssh, "connect_timeout_seconds", "ssh.connect_timeout_seconds",
                        DEFAULT_CONNECT_TIMEOUT_SECONDS, 1, 300)),
                Duration.ofSeconds(integer(ssh, "command_timeout_seconds", "ssh.command_timeout_seconds",
                        DEFAULT_COMMAND_TIMEOUT_SECONDS, 1, 3600)),
                integer(ssh, "max_output_bytes", "ssh.max_output_bytes", DEFAULT_MAX_OUTPUT_BYTES, 1024, 16 << 20));

        JsonNode list = settings == null ? null : settings.get("hosts");
        List<HostEntry> hosts = new ArrayList<>();
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException("hosts: must be a list of host entries");
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                HostEntry host = host(list.get(i), "hosts[" + i + "]", home);
                if (!names.add(host.name())) {
                    throw new IllegalArgumentException("hosts[" + i + "].name: '" + host.name()
                            + "' is already used by another host; names must be unique");
                }
                hosts.add(host);
            }
        }
        return new HostsConfig(sshSettings, hosts);
    }

    private static HostEntry host(JsonNode node, String at, Path home) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(at + ": must be a mapping with name, address, user and auth");
        }
        allowOnly(node, at, Set.of("name", "address", "port", "user", "auth", "host_group", "environment", "known_hosts"));
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
        return new HostEntry(name, address, port, user, auth, group, environment, knownHosts);
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
