package io.opsmcp.server.config;

import java.util.Locale;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.opsmcp.server.auth.ApiKeys;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads {@code ops-mcp.yaml} and applies environment overrides.
 *
 * <p>Precedence, highest first: command-line flags ({@link Overrides}), environment variables
 * ({@code OPS_MCP_*}, listed in {@link #ENV}), the configuration file ({@code --config} or
 * {@code OPS_MCP_CONFIG}), built-in defaults. The file is optional; without one the server runs on defaults.
 */
public final class ConfigLoader {

    /** Environment variables and the configuration path each one overrides. */
    public static final Map<String, String> ENV = Map.ofEntries(
            Map.entry("OPS_MCP_TRANSPORT", "transport"),
            Map.entry("OPS_MCP_BIND", "http.bind"),
            Map.entry("OPS_MCP_PORT", "http.port"),
            Map.entry("OPS_MCP_ALLOWED_HOSTS", "http.allowed_hosts"),
            Map.entry("OPS_MCP_ALLOWED_ORIGINS", "http.allowed_origins"),
            Map.entry("OPS_MCP_DATA_DIR", "data_dir"),
            Map.entry("OPS_MCP_TOOLSETS", "toolsets"),
            Map.entry("OPS_MCP_RESULT_MAX_BYTES", "limits.result_max_bytes"),
            Map.entry("OPS_MCP_TOOL_TIMEOUT_SECONDS", "limits.tool_timeout_seconds"),
            Map.entry("OPS_MCP_LOG_LEVEL", "logging.level"),
            Map.entry("OPS_MCP_LOG_FILE", "logging.file"),
            Map.entry("OPS_MCP_PRINCIPAL", "identity.id"),
            Map.entry("OPS_MCP_ROLES", "identity.roles"),
            Map.entry("OPS_MCP_SANDBOX", "sandbox"));

    private static final Set<String> LIST_PATHS = Set.of("http.allowed_hosts", "http.allowed_origins", "toolsets",
            "identity.roles");

    /** Values given on the command line; {@code null} means not given. */
    public record Overrides(String transport, String bind, Integer port, List<String> toolsets, Boolean sandbox,
                            String logLevel, Path dataDir) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null);
    }

    private final Map<String, String> env;
    private final YAMLMapper yaml = YAMLMapper.builder().build();

    /** @param env the process environment (injected so tests can pass their own) */
    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * Loads the configuration.
     *
     * @param configFile path from {@code --config}, or {@code null} to use {@code OPS_MCP_CONFIG} or none
     * @throws ConfigException when the file is missing or unreadable, is not YAML, or a setting is invalid
     */
    public OpsMcpConfig load(Path configFile, Overrides overrides) {
        Path file = configFile != null ? configFile
                : env.get("OPS_MCP_CONFIG") != null && !env.get("OPS_MCP_CONFIG").isBlank()
                ? Path.of(env.get("OPS_MCP_CONFIG")) : null;
        ObjectNode tree = file == null ? JsonNodeFactory.instance.objectNode() : read(file);
        for (Map.Entry<String, String> e : ENV.entrySet()) {
            String value = env.get(e.getKey());
            if (value != null && !value.isBlank()) {
                put(tree, e.getValue(), value.trim());
            }
        }
        apply(tree, overrides);
        ApiKeys apiKeys = ApiKeys.fromConfig(tree);
        ServerSettings settings = settings(tree).validate(!apiKeys.isEmpty());
        return new OpsMcpConfig(settings, apiKeys, tree, file == null ? "built-in defaults" : file.toString());
    }

    private ObjectNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist (from --config or OPS_MCP_CONFIG)");
        }
        try {
            JsonNode node = yaml.readTree(file.toFile());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException("config file " + file + ": the document must be a YAML mapping");
            }
            return (ObjectNode) node;
        } catch (JacksonException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: " + e.getOriginalMessage());
        }
    }

    private void apply(ObjectNode tree, Overrides o) {
        if (o.transport() != null) {
            put(tree, "transport", o.transport());
        }
        if (o.bind() != null) {
            put(tree, "http.bind", o.bind());
        }
        if (o.port() != null) {
            put(tree, "http.port", o.port().toString());
        }
        if (o.toolsets() != null) {
            put(tree, "toolsets", String.join(",", o.toolsets()));
        }
        if (o.sandbox() != null) {
            put(tree, "sandbox", o.sandbox().toString());
        }
        if (o.logLevel() != null) {
            put(tree, "logging.level", o.logLevel());
        }
        if (o.dataDir() != null) {
            put(tree, "data_dir", o.dataDir().toString());
        }
    }

    private static void put(ObjectNode tree, String path, String value) {
        String[] parts = path.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                child = node.putObject(parts[i]);
            }
            node = (ObjectNode) child;
        }
        String leaf = parts[parts.length - 1];
        if (LIST_PATHS.contains(path)) {
            var array = node.putArray(leaf);
            Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(array::add);
        } else {
            node.put(leaf, value);
        }
    }

    private ServerSettings settings(JsonNode tree) {
        String user = System.getProperty("user.name", "local");
        Path defaultDataDir = env.get("XDG_DATA_HOME") != null
                ? Path.of(env.get("XDG_DATA_HOME"), "ops-mcp")
                : Path.of(System.getProperty("user.home"), ".local", "share", "ops-mcp");
        String logFile = text(tree, "logging.file", null);
        return new ServerSettings(
                text(tree, "transport", "stdio"),
                text(tree, "http.bind", "127.0.0.1"),
                integer(tree, "http.port", 8080),
                list(tree, "http.allowed_hosts", List.of()),
                list(tree, "http.allowed_origins", List.of()),
                expandHome(text(tree, "data_dir", defaultDataDir.toString())),
                list(tree, "toolsets", List.of("hosts")),
                integer(tree, "limits.result_max_bytes", 64 * 1024),
                Duration.ofSeconds(integer(tree, "limits.tool_timeout_seconds", 60)),
                text(tree, "logging.level", "info").toLowerCase(Locale.ROOT),
                logFile == null ? null : expandHome(logFile),
                text(tree, "identity.id", user),
                new LinkedHashSet<>(list(tree, "identity.roles", List.of("viewer"))),
                bool(tree, "sandbox", false));
    }

    /** Expands a leading {@code ~/} to the user's home directory. */
    public static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }

    private static JsonNode at(JsonNode tree, String path) {
        JsonNode node = tree;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    private static String text(JsonNode tree, String path, String fallback) {
        JsonNode node = at(tree, path);
        if (node == null) {
            return fallback;
        }
        if (!node.isValueNode()) {
            throw new ConfigException(path + ": must be a single value, not a " + node.getNodeType().name().toLowerCase());
        }
        return node.asString();
    }

    private static int integer(JsonNode tree, String path, int fallback) {
        String value = text(tree, path, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(path + ": must be an integer (got '" + value + "')");
        }
    }

    private static boolean bool(JsonNode tree, String path, boolean fallback) {
        String value = text(tree, path, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(path + ": must be true or false (got '" + value + "')");
        };
    }

    private static List<String> list(JsonNode tree, String path, List<String> fallback) {
        JsonNode node = at(tree, path);
        if (node == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isValueNode()) {
                    throw new ConfigException(path + ": must be a list of strings");
                }
                out.add(item.asString());
            }
        } else if (node.isValueNode()) {
            Arrays.stream(node.asString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        } else {
            throw new ConfigException(path + ": must be a list of strings");
        }
        return out;
    }
}
