package io.opsmcp.tools.system.ssh;

import io.opsmcp.tools.system.config.HostEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * The host key check of one connection attempt: the key must be in the known_hosts file; for a host with
 * {@code trust_on_first_use}, a key that known_hosts does not know at all (never one it knows differently) is
 * checked against, or pinned in, the {@link TofuKnownHosts} store.
 */
final class HostKeyCheck implements HostKeyVerifier {

    private final HostEntry host;
    private final KnownHostsVerifier knownHosts;
    private final TofuKnownHosts tofu;

    HostKeyCheck(HostEntry host, Path knownHostsFile, Path tofuFile, Object tofuLock) throws IOException {
        this.host = host;
        this.knownHosts = new KnownHostsVerifier(knownHostsFile);
        this.tofu = host.trustOnFirstUse() ? new TofuKnownHosts(tofuFile, host, tofuLock) : null;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        if (knownHosts.verify(hostname, port, key)) {
            return true;
        }
        if (tofu == null || knownHosts.refusal() == KnownHostsVerifier.Refusal.CHANGED) {
            return false;
        }
        return tofu.verify(hostname, port, key);
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        List<String> algorithms = new ArrayList<>(knownHosts.findExistingAlgorithms(hostname, port));
        if (algorithms.isEmpty() && tofu != null) {
            algorithms.addAll(tofu.findExistingAlgorithms(hostname, port));
        }
        return algorithms;
    }

    /** Whether the key was refused (as opposed to the handshake failing for another reason). */
    boolean refused() {
        return knownHosts.refusal() != KnownHostsVerifier.Refusal.NONE
                && (tofu == null || knownHosts.refusal() == KnownHostsVerifier.Refusal.CHANGED || tofu.changed());
    }

    /** What the operator should do about the refused key. */
    String refusalMessage() {
        if (tofu != null && tofu.changed()) {
            return "WARNING: the host key for " + host.label() + " has CHANGED since it was trusted on first use and"
                    + " pinned in " + tofu.getFile() + ". Nothing was run. If the change is expected, remove the"
                    + " old entry (ssh-keygen -R " + host.address() + " -f " + tofu.getFile() + ").";
        }
        return knownHosts.refusalMessage(host);
    }
}
