package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.StringValue;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** crypto digests and HMACs (hex output) and crypto.hmac.equal, as OPA's {@code crypto.go}. */
final class CryptoBuiltins {
    private CryptoBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                digest("crypto.md5", "MD5"),
                digest("crypto.sha1", "SHA-1"),
                digest("crypto.sha256", "SHA-256"),
                digest("crypto.sha384", "SHA-384"),
                digest("crypto.sha512", "SHA-512"),
                hmac("crypto.hmac.md5", "HmacMD5"),
                hmac("crypto.hmac.sha1", "HmacSHA1"),
                hmac("crypto.hmac.sha256", "HmacSHA256"),
                hmac("crypto.hmac.sha512", "HmacSHA512"),
                Builtin.simple(
                        "crypto.hmac.equal",
                        args(STRING, STRING),
                        BOOLEAN,
                        (a, c) -> BooleanValue.of(
                                MessageDigest.isEqual(bytes(Operands.string(a, 0)), bytes(Operands.string(a, 1))))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Builtin digest(String name, String algorithm) {
        return Builtin.simple(name, args(STRING), STRING, (a, c) -> {
            try {
                return StringValue.of(HexFormat.of()
                        .formatHex(MessageDigest.getInstance(algorithm).digest(bytes(Operands.string(a, 0)))));
            } catch (GeneralSecurityException e) {
                throw new BuiltinError(algorithm + " unavailable");
            }
        });
    }

    private static Builtin hmac(String name, String algorithm) {
        return Builtin.simple(name, args(STRING, STRING), STRING, (a, c) -> {
            String message = Operands.string(a, 0);
            String key = Operands.string(a, 1);
            try {
                Mac mac = Mac.getInstance(algorithm);
                // An empty key is legal for HMAC (Go accepts it); SecretKeySpec rejects it, so use a zero byte
                // block, which HMAC treats identically (keys are zero-padded to the block size).
                byte[] k = bytes(key);
                mac.init(new SecretKeySpec(k.length == 0 ? new byte[1] : k, algorithm));
                return StringValue.of(HexFormat.of().formatHex(mac.doFinal(bytes(message))));
            } catch (GeneralSecurityException e) {
                throw new BuiltinError(algorithm + " unavailable");
            }
        });
    }
}
