package io.opsmcp.guard.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): object members sorted by their names' UTF-16 code units, no
 * whitespace, minimal string escaping, numbers serialised as ECMAScript does for IEEE 754 doubles.
 *
 * <p>The canonicalisation itself is the reference Java implementation by the RFC's co-authors
 * ({@code io.github.erdtman:java-json-canonicalization}); a Jackson tree is handed to it as JSON text. As the
 * RFC prescribes, every number is read as a double: integers beyond ±2^53 lose precision (so
 * {@code 9007199254740993} and {@code 9007199254740992} canonicalise alike). NaN and infinities are not JSON
 * and are rejected.
 */
public final class CanonicalJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CanonicalJson() {}

    /**
     * The canonical text of {@code node} ({@code null} and a missing node read as JSON {@code null}).
     *
     * @throws IllegalArgumentException when the tree holds a value JSON cannot carry (NaN, infinity)
     */
    public static String canonicalize(JsonNode node) {
        if (node != null) {
            requireFinite(node);
        }
        String text = node == null || node.isMissingNode() ? "null" : JSON.writeValueAsString(node);
        try {
            // The library only takes an object or an array at the top; a one-element array canonicalises to
            // "[" + canonical value + "]", which makes any JSON value acceptable.
            String wrapped = new JsonCanonicalizer("[" + text + "]").getEncodedString();
            return wrapped.substring(1, wrapped.length() - 1);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot canonicalise JSON: " + e.getMessage(), e);
        }
    }

    /** Jackson would write NaN as the string "NaN", which would hash like that string: refuse instead. */
    private static void requireFinite(JsonNode node) {
        if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            throw new IllegalArgumentException(
                    "cannot canonicalise JSON: " + node.doubleValue() + " is not a JSON number");
        }
        if (node.isContainer()) {
            node.values().forEach(CanonicalJson::requireFinite);
        }
    }

    /** Hex (lowercase) SHA-256 of the UTF-8 canonical text of {@code node}. */
    public static String sha256Hex(JsonNode node) {
        return sha256Hex("", node);
    }

    /** Hex (lowercase) SHA-256 of {@code prefix} (UTF-8) followed by the UTF-8 canonical text of {@code node}. */
    public static String sha256Hex(String prefix, JsonNode node) {
        MessageDigest digest = sha256();
        digest.update(prefix.getBytes(StandardCharsets.UTF_8));
        digest.update(canonicalize(node).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
