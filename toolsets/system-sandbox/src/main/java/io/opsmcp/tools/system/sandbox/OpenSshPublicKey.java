package io.opsmcp.tools.system.sandbox;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;

/**
 * An ECDSA P-256 public key as one OpenSSH public key line ({@code ecdsa-sha2-nistp256 BASE64}): the key blob of
 * RFC 5656 section 3.1 (string {@code "ecdsa-sha2-nistp256"}, string {@code "nistp256"}, string Q as the SEC1
 * uncompressed point), each string length-prefixed as in RFC 4251 section 5. Written by hand so that the sandbox's
 * {@code known_hosts} exists at configure time without loading Apache SSHD and BouncyCastle (~650 classes);
 * {@code OpenSshPublicKeyTest} checks it against SSHD's own encoder.
 */
final class OpenSshPublicKey {

    private static final String TYPE = "ecdsa-sha2-nistp256";
    private static final int COORDINATE_BYTES = 32;

    private OpenSshPublicKey() {}

    /**
     * @return {@code ecdsa-sha2-nistp256 BASE64} without a comment or line end
     * @throws IllegalArgumentException when the key is not on a 256-bit curve
     */
    static String line(ECPublicKey key) {
        if (key.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("only ECDSA P-256 keys are written");
        }
        byte[] point = new byte[1 + 2 * COORDINATE_BYTES];
        point[0] = 0x04; // SEC1 2.3.3: uncompressed
        copyUnsigned(key.getW().getAffineX(), point, 1);
        copyUnsigned(key.getW().getAffineY(), point, 1 + COORDINATE_BYTES);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        writeString(blob, TYPE.getBytes(StandardCharsets.US_ASCII));
        writeString(blob, "nistp256".getBytes(StandardCharsets.US_ASCII));
        writeString(blob, point);
        return TYPE + " " + Base64.getEncoder().encodeToString(blob.toByteArray());
    }

    /** A coordinate as exactly 32 big-endian bytes (BigInteger may add a sign byte or drop leading zeros). */
    private static void copyUnsigned(BigInteger value, byte[] into, int offset) {
        byte[] bytes = value.toByteArray();
        int start = Math.max(0, bytes.length - COORDINATE_BYTES);
        int length = bytes.length - start;
        System.arraycopy(bytes, start, into, offset + COORDINATE_BYTES - length, length);
    }

    private static void writeString(ByteArrayOutputStream out, byte[] value) {
        int n = value.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.write(value, 0, value.length);
    }
}
