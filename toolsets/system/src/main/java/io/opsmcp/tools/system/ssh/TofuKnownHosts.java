package io.opsmcp.tools.system.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab-only {@code trust_on_first_use} store: an OpenSSH known_hosts file of its own where the first key a
 * host offers is pinned. An unknown key is accepted once, appended to the file and logged at WARN with its
 * fingerprint; afterwards the pinned key is required like any known_hosts entry, so a changed key is refused.
 * One instance per connection attempt (the file is re-read each time).
 */
final class TofuKnownHosts extends OpenSSHKnownHosts {

    private static final Logger log = LoggerFactory.getLogger(TofuKnownHosts.class);

    private final io.opsmcp.tools.system.config.HostEntry host;
    private final Object fileLock;
    private volatile boolean changed;
    private volatile String trustedFingerprint;

    /**
     * @param fileLock guards appends to the file (shared by every connection attempt of one executor)
     */
    TofuKnownHosts(Path file, io.opsmcp.tools.system.config.HostEntry host, Object fileLock) throws IOException {
        super(file.toFile());
        this.host = host;
        this.fileLock = fileLock;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        String fingerprint = KnownHostsVerifier.fingerprint(key);
        try {
            synchronized (fileLock) {
                Files.createDirectories(getFile().toPath().toAbsolutePath().getParent());
                write(new OpenSSHKnownHosts.HostEntry(null, hostname, KeyType.fromKey(key), key));
            }
        } catch (SSHException e) {
            throw new IllegalStateException("cannot encode the host key of " + host.label(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pin the host key of " + host.label() + " in " + getFile(), e);
        }
        trustedFingerprint = fingerprint;
        log.warn(
                "trust_on_first_use: accepted the UNVERIFIED {} host key {} of {} and pinned it in {}; "
                        + "this is for labs only, verify the fingerprint and move it to known_hosts",
                KeyType.fromKey(key),
                fingerprint,
                host.label(),
                getFile());
        return true;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        changed = true;
        return false;
    }

    /** Whether the key offered did not match the pinned one. */
    boolean changed() {
        return changed;
    }

    /** The fingerprint accepted on first use during this attempt, or {@code null}. */
    String trustedFingerprint() {
        return trustedFingerprint;
    }
}
