package io.opsmcp.server.auth;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.server.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Static API keys for HTTP clients ({@code Authorization: Bearer KEY}), configured as SHA-256 hashes so the
 * configuration never holds a usable key:
 *
 * <pre>
 * auth:
 *   api_keys:
 *     - principal: alice
 *       roles: [sre]
 *       sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * </pre>
 *
 * {@code ops-mcp auth hash-key} prints the hash of a key read from stdin.
 */
public final class ApiKeys {

    private static final Pattern HEX64 = Pattern.compile("^[0-9a-f]{64}$");
    private static final Pattern BEARER = Pattern.compile("^Bearer\\s+(\\S+)\\s*$", Pattern.CASE_INSENSITIVE);

    private final Map<String, Principal> byHash;

    private ApiKeys(Map<String, Principal> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    /** No keys: HTTP stays on loopback and callers are the local identity. */
    public static final ApiKeys NONE = new ApiKeys(Map.of());

    /**
     * Reads {@code auth.api_keys}.
     *
     * @throws ConfigException naming the entry and the rule, e.g. {@code auth.api_keys[1].sha256: must be 64 lowercase hex digits}
     */
    public static ApiKeys fromConfig(JsonNode tree) {
        JsonNode keys = tree.path("auth").path("api_keys");
        if (keys.isMissingNode() || keys.isNull()) {
            return NONE;
        }
        if (!keys.isArray()) {
            throw new ConfigException("auth.api_keys: must be a list");
        }
        Map<String, Principal> byHash = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonNode key = keys.get(i);
            String at = "auth.api_keys[" + i + "]";
            String principal = key.path("principal").asString("");
            if (principal.isBlank()) {
                throw new ConfigException(at + ".principal: is required");
            }
            String hash = key.path("sha256").asString("").toLowerCase(java.util.Locale.ROOT);
            if (!HEX64.matcher(hash).matches()) {
                throw new ConfigException(at + ".sha256: must be the 64 hex digits of the key's SHA-256"
                        + " (ops-mcp auth hash-key prints it); keys themselves never go in the configuration");
            }
            LinkedHashSet<String> roles = new LinkedHashSet<>();
            for (JsonNode role : key.path("roles")) {
                roles.add(role.asString());
            }
            if (byHash.put(hash, new Principal(principal, roles, "api-key")) != null) {
                throw new ConfigException(at + ".sha256: the same key is configured twice");
            }
        }
        return new ApiKeys(byHash);
    }

    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    public List<Principal> principals() {
        return List.copyOf(byHash.values());
    }

    /** The principal for an {@code Authorization} header value, or empty when it is missing or unknown. */
    public Optional<Principal> authenticate(String authorizationHeader) {
        return bearer(authorizationHeader).flatMap(this::authenticateKey);
    }

    /** The principal for a bearer value (the key itself), or empty when it is not a configured key. */
    public Optional<Principal> authenticateKey(String key) {
        return Optional.ofNullable(byHash.get(sha256Hex(key)));
    }

    /**
     * The credential of an {@code Authorization: Bearer VALUE} header (RFC 6750 §2.1), or empty when the header is
     * missing or uses another scheme.
     */
    public static Optional<String> bearer(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        var m = BEARER.matcher(authorizationHeader);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Lowercase hex SHA-256 of a key's UTF-8 bytes. */
    public static String sha256Hex(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
