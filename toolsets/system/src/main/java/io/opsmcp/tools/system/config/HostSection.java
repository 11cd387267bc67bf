package io.opsmcp.tools.system.config;

import java.util.regex.Pattern;

/**
 * One element of the {@code hosts:} list as written, bound by {@code ConfigBinding} (unknown keys are errors) and
 * checked here, in the order the fields are documented. {@link HostsConfig#parse} resolves paths and
 * {@code proxy_jump} names into {@link HostEntry}s.
 *
 * @param name            the name tools use ({@value HostEntry#NAME_PATTERN})
 * @param address         DNS name or IP address
 * @param port            1..65535, default 22
 * @param user            POSIX user name
 * @param auth            how to authenticate
 * @param hostGroup       optional label
 * @param environment     optional label
 * @param knownHosts      optional known_hosts file for this host only
 * @param proxyJump       optional name of the configured host to tunnel through
 * @param trustOnFirstUse lab-only opt-in, default false
 * @param maxConcurrent   1..64; absent means {@code ssh.max_concurrent_per_host}
 */
public record HostSection(
        String name,
        String address,
        Integer port,
        String user,
        Auth auth,
        String hostGroup,
        String environment,
        String knownHosts,
        String proxyJump,
        Boolean trustOnFirstUse,
        Integer maxConcurrent) {

    private static final String LABEL_PATTERN = "^[a-z0-9][a-z0-9._-]{0,62}$";
    private static final Pattern LABEL = Pattern.compile(LABEL_PATTERN);
    private static final Pattern ADDRESS = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$");
    private static final Pattern USER = Pattern.compile("^[A-Za-z_][A-Za-z0-9._-]{0,31}$");

    public HostSection {
        name = required("name", name);
        if (!HostEntry.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' must match " + HostEntry.NAME_PATTERN);
        }
        address = required("address", address);
        if (!ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("address: must be a DNS name or an IP address");
        }
        range("port", port, 1, 65535);
        user = required("user", user);
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("user: '" + user + "' must be a POSIX user name");
        }
        if (auth == null) {
            throw new IllegalArgumentException("auth: is required ({type: key_file, key_file: PATH} or {type: agent})");
        }
        hostGroup = label("host_group", hostGroup);
        environment = label("environment", environment);
        knownHosts = path("known_hosts", knownHosts);
        proxyJump = label("proxy_jump", proxyJump);
        if (name.equals(proxyJump)) {
            throw new IllegalArgumentException("proxy_jump: a host cannot jump through itself");
        }
        range("max_concurrent", maxConcurrent, 1, 64);
    }

    /**
     * {@code auth:} — {@code {type: key_file, key_file: PATH}} or {@code {type: agent}}.
     *
     * @param type    {@code key_file} or {@code agent}
     * @param keyFile the private key file, only with {@code key_file}
     */
    public record Auth(String type, String keyFile) {
        public Auth {
            type = required("type", type);
            switch (type) {
                case "key_file" -> keyFile = required("key_file", path("key_file", keyFile));
                case "agent" -> {
                    if (keyFile != null) {
                        throw new IllegalArgumentException("key_file: unknown setting for type agent; valid: type");
                    }
                }
                default -> throw new IllegalArgumentException("type: must be key_file or agent, not '" + type + "'");
            }
        }
    }

    static String required(String key, String value) {
        String v = optional(key, value);
        if (v == null) {
            throw new IllegalArgumentException(key + ": is required");
        }
        return v;
    }

    /** A present string must not be blank; surrounding blanks are dropped. */
    static String optional(String key, String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(key + ": must be a non-empty string");
        }
        return value.strip();
    }

    static String label(String key, String value) {
        String v = optional(key, value);
        if (v != null && !LABEL.matcher(v).matches()) {
            throw new IllegalArgumentException(key + ": '" + v + "' must match " + LABEL_PATTERN);
        }
        return v;
    }

    static String path(String key, String value) {
        String v = optional(key, value);
        if (v != null && v.contains("\0")) {
            throw new IllegalArgumentException(key + ": must be a file path");
        }
        return v;
    }

    static void range(String key, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new IllegalArgumentException(key + ": must be " + min + ".." + max + ", not " + value);
        }
    }
}
