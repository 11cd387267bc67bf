package io.opsmcp.tools.system.config;

/**
 * The {@code ssh:} section as written, bound by {@code ConfigBinding} (unknown keys are errors); absent values are
 * {@code null} and take the defaults in {@link HostsConfig#parse}. Paths stay text here: {@code ~/} is resolved
 * against the home directory when the section becomes {@link SshSettings}.
 *
 * @param knownHosts            OpenSSH known_hosts file (default {@code ~/.ssh/known_hosts})
 * @param connectTimeoutSeconds 1..300, default 10
 * @param commandTimeoutSeconds 1..3600, default 20
 * @param maxOutputBytes        1024..16777216, default 262144
 * @param tofuKnownHosts        where {@code trust_on_first_use} keys are pinned (default {@code DATA_DIR/tofu_known_hosts})
 * @param maxConcurrentPerHost  1..64, default 4
 * @param idleCloseSeconds      5..3600, default 60
 */
public record SshSection(
        String knownHosts,
        Integer connectTimeoutSeconds,
        Integer commandTimeoutSeconds,
        Integer maxOutputBytes,
        String tofuKnownHosts,
        Integer maxConcurrentPerHost,
        Integer idleCloseSeconds) {

    public SshSection {
        knownHosts = HostSection.path("known_hosts", knownHosts);
        tofuKnownHosts = HostSection.path("tofu_known_hosts", tofuKnownHosts);
        HostSection.range("connect_timeout_seconds", connectTimeoutSeconds, 1, 300);
        HostSection.range("command_timeout_seconds", commandTimeoutSeconds, 1, 3600);
        HostSection.range("max_output_bytes", maxOutputBytes, 1024, 16 << 20);
        HostSection.range("max_concurrent_per_host", maxConcurrentPerHost, 1, 64);
        HostSection.range("idle_close_seconds", idleCloseSeconds, 5, 3600);
    }
}
