package io.opsmcp.tools.system.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configured host (the {@code hosts:} list of the configuration).
 *
 * @param name            the name tools use ({@value #NAME_PATTERN})
 * @param address         DNS name or IP address to connect to (as seen from {@code proxyJump} when set)
 * @param port            TCP port, 1..65535
 * @param user            remote user name
 * @param auth            how to authenticate
 * @param hostGroup       group the host belongs to (policy data refers to it), or {@code null}
 * @param environment     environment ({@code dev}, {@code staging}, {@code prod}), or {@code null}
 * @param knownHosts      known_hosts file for this host only, or {@code null} to use {@link SshSettings#knownHosts()}
 * @param proxyJump       the configured host to tunnel through (OpenSSH {@code ProxyJump}), or {@code null}
 * @param trustOnFirstUse lab-only opt-in: an unknown host key is accepted once and pinned in
 *                        {@link SshSettings#tofuKnownHosts()} (a changed key is still refused)
 * @param maxConcurrent   commands that may run on this host at once; 0 means {@link SshSettings#maxConcurrentPerHost()}
 */
public record HostEntry(
        String name,
        String address,
        int port,
        String user,
        HostAuth auth,
        String hostGroup,
        String environment,
        Path knownHosts,
        HostEntry proxyJump,
        boolean trustOnFirstUse,
        int maxConcurrent) {

    /** Host names: lower-case letters, digits, {@code . _ -}; no leading punctuation; at most 63 characters. */
    public static final String NAME_PATTERN = "^[a-z0-9][a-z0-9._-]{0,62}$";

    static final Pattern NAME = Pattern.compile(NAME_PATTERN);

    public HostEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(auth, "auth");
        if (maxConcurrent < 0) {
            throw new IllegalArgumentException("maxConcurrent must not be negative");
        }
    }

    /** A directly reachable host whose key must be in known_hosts, with the shared concurrency limit. */
    public HostEntry(
            String name,
            String address,
            int port,
            String user,
            HostAuth auth,
            String hostGroup,
            String environment,
            Path knownHosts) {
        this(name, address, port, user, auth, hostGroup, environment, knownHosts, null, false, 0);
    }

    /** {@code name (address:port)}, the form used in messages; {@code via JUMP} when tunnelled. */
    public String label() {
        return name + " (" + address + ":" + port + (proxyJump == null ? "" : " via " + proxyJump.name()) + ")";
    }

    /** How this host's key is checked, as recorded in action descriptors and results. */
    public String hostKeyCheck() {
        return trustOnFirstUse ? "trust_on_first_use" : "known_hosts";
    }
}
