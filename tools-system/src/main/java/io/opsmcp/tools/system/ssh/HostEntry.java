package io.opsmcp.tools.system.ssh;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configured host (the {@code hosts:} list of the configuration).
 *
 * @param name        the name tools use ({@value #NAME_PATTERN})
 * @param address     DNS name or IP address to connect to
 * @param port        TCP port, 1..65535
 * @param user        remote user name
 * @param auth        how to authenticate
 * @param hostGroup   group the host belongs to (policy data refers to it), or {@code null}
 * @param environment environment ({@code dev}, {@code staging}, {@code prod}), or {@code null}
 * @param knownHosts  known_hosts file for this host only, or {@code null} to use {@link SshSettings#knownHosts()}
 */
public record HostEntry(String name, String address, int port, String user, HostAuth auth, String hostGroup,
                        String environment, Path knownHosts) {

    /** Host names: lower-case letters, digits, {@code . _ -}; no leading punctuation; at most 63 characters. */
    public static final String NAME_PATTERN = "^[a-z0-9][a-z0-9._-]{0,62}$";
    static final Pattern NAME = Pattern.compile(NAME_PATTERN);

    public HostEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(auth, "auth");
    }

    /** {@code name (address:port)}, the form used in messages. */
    public String label() {
        return name + " (" + address + ":" + port + ")";
    }
}
