package io.opsmcp.tools.system.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings shared by every host (the {@code ssh:} section of the configuration).
 *
 * @param knownHosts           OpenSSH known_hosts file every host key is checked against
 * @param connectTimeout       TCP connect and SSH handshake timeout
 * @param commandTimeout       how long one remote command may run before it is ended
 * @param maxOutputBytes       cap on the standard output kept per command (bytes); the rest is counted and dropped
 * @param tofuKnownHosts       where keys accepted by {@code trust_on_first_use} hosts are pinned (OpenSSH format)
 * @param maxConcurrentPerHost commands that may run on one host at once (a host entry may lower or raise it)
 * @param idleClose            how long an unused pooled connection stays open
 */
public record SshSettings(
        Path knownHosts,
        Duration connectTimeout,
        Duration commandTimeout,
        int maxOutputBytes,
        Path tofuKnownHosts,
        int maxConcurrentPerHost,
        Duration idleClose) {

    /** Cap on standard error kept per command; stderr only feeds error messages. */
    public static final int MAX_STDERR_BYTES = 8192;

    public static final int DEFAULT_MAX_CONCURRENT_PER_HOST = 4;
    public static final Duration DEFAULT_IDLE_CLOSE = Duration.ofSeconds(60);

    public SshSettings {
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(tofuKnownHosts, "tofuKnownHosts");
        Objects.requireNonNull(idleClose, "idleClose");
        if (maxOutputBytes < 1) {
            throw new IllegalArgumentException("maxOutputBytes must be positive");
        }
        if (maxConcurrentPerHost < 1) {
            throw new IllegalArgumentException("maxConcurrentPerHost must be positive");
        }
    }

    /**
     * Settings with the defaults for concurrency and idle close; keys trusted on first use are pinned in
     * {@code tofu_known_hosts} next to {@code knownHosts}.
     */
    public SshSettings(Path knownHosts, Duration connectTimeout, Duration commandTimeout, int maxOutputBytes) {
        this(
                knownHosts,
                connectTimeout,
                commandTimeout,
                maxOutputBytes,
                knownHosts.toAbsolutePath().resolveSibling("tofu_known_hosts"),
                DEFAULT_MAX_CONCURRENT_PER_HOST,
                DEFAULT_IDLE_CLOSE);
    }
}
