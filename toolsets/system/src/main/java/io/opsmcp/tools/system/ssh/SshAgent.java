package io.opsmcp.tools.system.ssh;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.system.config.HostEntry;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * Public-key authentication with the keys of a running ssh-agent. sshj 0.40 has no agent support of its own,
 * so this speaks the agent protocol (draft-miller-ssh-agent, sections 3.4 and 3.6: REQUEST_IDENTITIES and
 * SIGN_REQUEST) over the agent's Unix domain socket; private keys never leave the agent. RSA keys are signed
 * with {@code rsa-sha2-256} (RFC 8332); ed25519 and ECDSA keys with their own algorithm.
 */
final class SshAgent {

    private static final byte FAILURE = 5;
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    private static final int RSA_SHA2_256 = 2;
    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;

    private SshAgent(Path socket) {
        this.socket = socket;
    }

    /**
     * One publickey auth method per agent identity, in the agent's order.
     *
     * @throws ToolException UNAVAILABLE when there is no agent socket, it cannot be reached or holds no keys
     */
    static List<AuthMethod> authMethods(Path socket, HostEntry host) {
        if (socket == null) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    "host " + host.name() + " uses auth type agent but "
                            + "SSH_AUTH_SOCK is not set in the server's environment; start ssh-agent and add the key, or use"
                            + " auth type key_file");
        }
        if (!Files.exists(socket)) {
            throw new ToolException(
                    Kind.UNAVAILABLE,
                    "host " + host.name() + " uses auth type agent but the agent " + "socket " + socket
                            + " (SSH_AUTH_SOCK) does not exist");
        }
        SshAgent agent = new SshAgent(socket);
        List<Identity> identities;
        try {
            identities = agent.identities();
        } catch (IOException e) {
            throw new ToolException(
                    Kind.UNAVAILABLE, "cannot list the keys of ssh-agent at " + socket + ": " + e.getMessage());
        }
        if (identities.isEmpty()) {
            throw new ToolException(
                    Kind.UNAVAILABLE, "ssh-agent at " + socket + " holds no keys; add one with ssh-add");
        }
        List<AuthMethod> methods = new ArrayList<>();
        for (Identity identity : identities) {
            methods.add(new AgentPublickey(agent, identity));
        }
        return methods;
    }

    /** A public key the agent holds: its SSH wire blob and key type name (e.g. {@code ssh-ed25519}). */
    record Identity(byte[] blob, String keyType) {

        String signatureAlgorithm() {
            return keyType.equals("ssh-rsa") ? "rsa-sha2-256" : keyType;
        }

        int signFlags() {
            return keyType.equals("ssh-rsa") ? RSA_SHA2_256 : 0;
        }
    }

    List<Identity> identities() throws IOException {
        Buffer.PlainBuffer reply = call(new Buffer.PlainBuffer().putByte(REQUEST_IDENTITIES));
        byte type = readByte(reply);
        if (type != IDENTITIES_ANSWER) {
            throw new IOException("unexpected agent reply type " + type);
        }
        try {
            long count = reply.readUInt32();
            List<Identity> out = new ArrayList<>();
            for (long i = 0; i < count && i < 1000; i++) {
                byte[] blob = reply.readBytes();
                reply.readString(); // comment
                String keyType = new Buffer.PlainBuffer(blob).readString();
                out.add(new Identity(blob, keyType));
            }
            return out;
        } catch (Buffer.BufferException e) {
            throw new IOException("malformed agent reply", e);
        }
    }

    /** Returns the signature blob ({@code string algorithm, string signature}) the agent made over {@code data}. */
    byte[] sign(Identity identity, byte[] data) throws IOException {
        Buffer.PlainBuffer request = new Buffer.PlainBuffer()
                .putByte(SIGN_REQUEST)
                .putBytes(identity.blob())
                .putBytes(data)
                .putUInt32(identity.signFlags());
        Buffer.PlainBuffer reply = call(request);
        byte type = readByte(reply);
        if (type == FAILURE) {
            throw new IOException("the agent refused to sign (key removed, or confirmation denied)");
        }
        if (type != SIGN_RESPONSE) {
            throw new IOException("unexpected agent reply type " + type);
        }
        try {
            return reply.readBytes();
        } catch (Buffer.BufferException e) {
            throw new IOException("malformed agent signature", e);
        }
    }

    private Buffer.PlainBuffer call(Buffer.PlainBuffer message) throws IOException {
        byte[] body = message.getCompactData();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(4 + body.length)
                    .putInt(body.length)
                    .put(body)
                    .flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteBuffer lengthBuf = readFully(channel, 4);
            int length = lengthBuf.getInt();
            if (length <= 0 || length > MAX_MESSAGE) {
                throw new IOException("agent reply length " + length + " is out of range");
            }
            ByteBuffer reply = readFully(channel, length);
            return new Buffer.PlainBuffer(reply.array());
        }
    }

    private static ByteBuffer readFully(SocketChannel channel, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                throw new IOException("the agent closed the connection");
            }
        }
        return buf.flip();
    }

    private static byte readByte(Buffer.PlainBuffer buf) throws IOException {
        try {
            return buf.readByte();
        } catch (Buffer.BufferException e) {
            throw new IOException("empty agent reply", e);
        }
    }

    /**
     * RFC 4252 section 7 publickey method for one agent identity: a query without signature, and after the
     * server's PK_OK (message 60) the request signed by the agent over session id and request.
     */
    private static final class AgentPublickey extends AbstractAuthMethod {

        private final SshAgent agent;
        private final Identity identity;

        AgentPublickey(SshAgent agent, Identity identity) {
            super("publickey");
            this.agent = agent;
            this.identity = identity;
        }

        @Override
        protected SSHPacket buildReq() throws UserAuthException {
            return request(false);
        }

        private SSHPacket request(boolean signed) throws UserAuthException {
            return super.buildReq()
                    .putBoolean(signed)
                    .putString(identity.signatureAlgorithm())
                    .putBytes(identity.blob());
        }

        @Override
        public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
            if (cmd != Message.USERAUTH_60) {
                super.handle(cmd, buf);
                return;
            }
            SSHPacket signedRequest = request(true);
            byte[] toSign = new Buffer.PlainBuffer()
                    .putString(params.getTransport().getSessionID())
                    .putBuffer(signedRequest)
                    .getCompactData();
            try {
                signedRequest.putBytes(agent.sign(identity, toSign));
            } catch (IOException e) {
                throw new UserAuthException("ssh-agent could not sign: " + e.getMessage(), e);
            }
            params.getTransport().write(signedRequest);
        }
    }
}
