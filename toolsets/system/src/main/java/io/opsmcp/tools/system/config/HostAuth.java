package io.opsmcp.tools.system.config;

import java.nio.file.Path;
import java.util.Objects;

/** How ops-mcp authenticates to one host: a private key file, or the keys held by a running ssh-agent. */
public sealed interface HostAuth {

    /** An unencrypted OpenSSH/PEM private key file (ed25519, ECDSA or RSA). */
    record KeyFile(Path keyFile) implements HostAuth {
        public KeyFile {
            Objects.requireNonNull(keyFile, "keyFile");
        }
    }

    /** The identities of the ssh-agent listening on the Unix socket named by {@code SSH_AUTH_SOCK}. */
    record Agent() implements HostAuth {}
}
