package io.opsmcp.tools.system.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.KeySetPublickeyAuthenticator;

/**
 * The part of {@link SandboxSshServer} that uses Apache SSHD (and through it BouncyCastle), in a class of its own so
 * that none of their classes load before the server proper starts: writes the client key pair and runs the SSH
 * server on an ephemeral loopback port of its own.
 */
final class SshdBackend implements AutoCloseable {

    private final SshServer sshd;

    private SshdBackend(SshServer sshd) {
        this.sshd = sshd;
    }

    /**
     * Writes {@code clientKey} (OpenSSH private key, mode 600) and {@code clientKey.pub}, then starts the server.
     *
     * @throws IOException when the key cannot be written or the server cannot bind
     */
    static SshdBackend start(
            String bind,
            KeyPair hostKey,
            KeyPair clientKeys,
            Path clientKey,
            String user,
            Map<String, String> environment,
            ExecutorService threads)
            throws IOException {
        Files.deleteIfExists(clientKey);
        Files.createFile(clientKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(clientKey)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKeys, "ops-mcp-sandbox-client", null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode the sandbox client key", e);
        }
        Files.writeString(
                clientKey.resolveSibling(clientKey.getFileName() + ".pub"),
                PublicKeyEntry.toString(clientKeys.getPublic()) + " ops-mcp-sandbox-client\n",
                StandardCharsets.UTF_8);

        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(bind);
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        KeySetPublickeyAuthenticator onlyClientKey =
                new KeySetPublickeyAuthenticator("ops-mcp-sandbox", List.of(clientKeys.getPublic()));
        sshd.setPublickeyAuthenticator((username, key, session) ->
                user.equals(username) && onlyClientKey.authenticate(username, key, session));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setCommandFactory((channel, command) -> new LocalProcessCommand(command, threads, environment));
        sshd.start();
        return new SshdBackend(sshd);
    }

    /** The SSH server's own port (only the relay connects to it). */
    int port() {
        return sshd.getPort();
    }

    /** Stops the server at once and ends its sessions. */
    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }
}
