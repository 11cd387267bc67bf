package io.opsmcp.tools.system.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Checks one connection's host key against an OpenSSH known_hosts file (hashed entries, {@code [host]:port}
 * patterns and {@code @revoked} markers as sshj's {@link OpenSSHKnownHosts} implements them) and remembers why
 * a key was refused, so that the connection error can say what to do. Unknown and changed keys are always
 * refused; nothing is ever added to the file. One instance per connection attempt (the file is re-read each
 * time, so an added key takes effect without a restart).
 */
final class KnownHostsVerifier extends OpenSSHKnownHosts {

    /** Why the last key was refused. */
    enum Refusal {
        NONE,
        UNKNOWN,
        CHANGED
    }

    private final Path file;
    private volatile Refusal refusal = Refusal.NONE;
    private volatile String offeredFingerprint;
    private volatile String offeredType;

    KnownHostsVerifier(Path file) throws IOException {
        super(file.toFile());
        this.file = file;
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        remember(Refusal.UNKNOWN, key);
        return false;
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        remember(Refusal.CHANGED, key);
        return false;
    }

    private void remember(Refusal why, PublicKey key) {
        offeredType = KeyType.fromKey(key).toString();
        offeredFingerprint = fingerprint(key);
        refusal = why;
    }

    Refusal refusal() {
        return refusal;
    }

    /** The message for a refused key, naming the host, the file and what the operator should do. */
    String refusalMessage(io.opsmcp.tools.system.config.HostEntry host) {
        String keyscan = "ssh-keyscan" + (host.port() == 22 ? "" : " -p " + host.port()) + " " + host.address();
        return switch (refusal) {
            case UNKNOWN ->
                "host key for " + host.label() + " is not in known_hosts " + file
                        + (Files.exists(file) ? "" : " (the file does not exist)")
                        + "; verify the server's " + offeredType + " key fingerprint " + offeredFingerprint
                        + " out of band and add it with: " + keyscan + " >> " + file;
            case CHANGED ->
                "WARNING: the host key for " + host.label() + " has CHANGED: the server offered "
                        + offeredType + " " + offeredFingerprint + ", which does not match known_hosts " + file
                        + ". This can mean a man-in-the-middle attack or a reinstalled host. Nothing was run. If the "
                        + "change is expected, remove the old entry (ssh-keygen -R) and add the verified new key.";
            case NONE -> "host key for " + host.label() + " was not accepted";
        };
    }

    /** OpenSSH-style fingerprint: {@code SHA256:} and the unpadded base64 of the SHA-256 of the key blob. */
    static String fingerprint(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
