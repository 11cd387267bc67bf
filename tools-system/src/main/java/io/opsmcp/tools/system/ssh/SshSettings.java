package io.opsmcp.tools.system.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings shared by every host (the {@code ssh:} section of the configuration).
 *
 * @param knownHosts     OpenSSH known_hosts file every host key is checked against
 * @param connectTimeout TCP connect and SSH handshake timeout
 * @param commandTimeout how long one remote command may run before it is ended
 * @param maxOutputBytes cap on the standard output kept per command (bytes); the rest is counted and dropped
 */
public record SshSettings(Path knownHosts, Duration connectTimeout, Duration commandTimeout, int maxOutputBytes) {

    /** Cap on standard error kept per command; stderr only feeds error messages. */
    public static final int MAX_STDERR_BYTES = 8192;

    public SshSettings {
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (maxOutputBytes < 1) {
            throw new IllegalArgumentException("maxOutputBytes must be positive");
        }
    }
}
