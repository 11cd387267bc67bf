package io.opsmcp.guard.policy;

import io.opsmcp.core.config.InvalidConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Builds the {@link PolicyEngine} the configuration asks for. Settings ({@code policy:} in {@code ops-mcp.yaml}):
 * <pre>
 * policy:
 *   engine: embedded            # embedded (default) | opa
 *   bundle_dir: /etc/ops-mcp/policy   # embedded only; default: the shipped bundle. Relative: to the data dir
 *   reload_interval_ms: 2000    # embedded with bundle_dir: how often the directory is checked; 0 = never
 *   opa:
 *     url: http://127.0.0.1:8181
 *     timeout_ms: 500
 * </pre>
 */
public final class PolicyEngines {

    static final Set<String> POLICY_KEYS = Set.of("engine", "bundle_dir", "reload_interval_ms", "opa");
    static final Set<String> OPA_KEYS = Set.of("url", "timeout_ms");
    static final int DEFAULT_TIMEOUT_MS = 500;
    static final int DEFAULT_RELOAD_MS = 2000;

    private PolicyEngines() {}

    /**
     * @param settings the {@code policy} section, or {@code null}/missing for the defaults (embedded engine on the
     *                 shipped bundle)
     * @param dataDir  the server's data directory; a relative {@code bundle_dir} is resolved against it
     * @throws InvalidConfigException naming the setting and the rule when a setting is wrong or the bundle does not load
     */
    public static PolicyEngine create(JsonNode settings, Path dataDir) {
        if (settings == null || settings.isNull() || settings.isMissingNode()) {
            return EmbeddedPolicyEngine.defaultBundle();
        }
        if (!settings.isObject()) {
            throw new InvalidConfigException(
                    "policy: must be a mapping with engine, bundle_dir, reload_interval_ms, opa");
        }
        checkKeys(settings, "policy", POLICY_KEYS);
        String engine = text(settings, "engine", "policy.engine", "embedded");
        switch (engine) {
            case "embedded":
                return embedded(settings, dataDir);
            case "opa":
                return opa(settings);
            default:
                throw new InvalidConfigException("policy.engine: must be embedded or opa (got '" + engine + "')");
        }
    }

    private static PolicyEngine embedded(JsonNode settings, Path dataDir) {
        if (settings.has("opa")) {
            throw new InvalidConfigException("policy.opa: only used with policy.engine: opa (engine is embedded)");
        }
        int reloadMs =
                integer(settings, "reload_interval_ms", "policy.reload_interval_ms", DEFAULT_RELOAD_MS, 0, 3_600_000);
        String dir = text(settings, "bundle_dir", "policy.bundle_dir", null);
        if (dir == null) {
            return EmbeddedPolicyEngine.defaultBundle();
        }
        if (dir.isBlank()) {
            throw new InvalidConfigException(
                    "policy.bundle_dir: must not be empty (leave it out for the shipped bundle)");
        }
        Path path = Path.of(dir);
        if (!path.isAbsolute() && dataDir != null) {
            path = dataDir.resolve(path);
        }
        try {
            return EmbeddedPolicyEngine.directory(path, Duration.ofMillis(reloadMs));
        } catch (EmbeddedPolicyEngine.BundleException e) {
            throw new InvalidConfigException(
                    "policy.bundle_dir: the bundle at " + path + " cannot be used: " + e.getMessage());
        }
    }

    private static PolicyEngine opa(JsonNode settings) {
        if (settings.has("bundle_dir")) {
            throw new InvalidConfigException("policy.bundle_dir: only used with policy.engine: embedded (engine is opa;"
                    + " give the bundle to OPA instead)");
        }
        JsonNode opa = settings.get("opa");
        if (opa == null || opa.isNull()) {
            throw new InvalidConfigException(
                    "policy.opa.url: required when policy.engine is opa" + " (e.g. http://127.0.0.1:8181)");
        }
        if (!opa.isObject()) {
            throw new InvalidConfigException("policy.opa: must be a mapping with url and timeout_ms");
        }
        checkKeys(opa, "policy.opa", OPA_KEYS);
        String url = text(opa, "url", "policy.opa.url", null);
        if (url == null || url.isBlank()) {
            throw new InvalidConfigException(
                    "policy.opa.url: required when policy.engine is opa" + " (e.g. http://127.0.0.1:8181)");
        }
        int timeoutMs = integer(opa, "timeout_ms", "policy.opa.timeout_ms", DEFAULT_TIMEOUT_MS, 1, 60_000);
        try {
            return new OpaPolicyEngine(url, Duration.ofMillis(timeoutMs));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("policy.opa.url: " + e.getMessage());
        }
    }

    private static void checkKeys(JsonNode node, String at, Set<String> known) {
        for (String key : node.propertyNames()) {
            if (!known.contains(key)) {
                throw new InvalidConfigException(
                        at + "." + key + ": unknown setting (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private static String text(JsonNode node, String key, String setting, String fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isString()) {
            throw new InvalidConfigException(setting + ": must be a string");
        }
        return v.asString().strip();
    }

    private static int integer(JsonNode node, String key, String setting, int fallback, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw new InvalidConfigException(
                    setting + ": must be an integer from " + min + " to " + max + " (got " + v + ")");
        }
        return v.asInt();
    }
}
