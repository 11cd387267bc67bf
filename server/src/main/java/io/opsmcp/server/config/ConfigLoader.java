package io.opsmcp.server.config;

import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.oauth.OAuthSettings;
import io.opsmcp.server.auth.ApiKeys;
import io.opsmcp.toolkit.config.ConfigBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads {@code ops-mcp.yaml} and applies environment overrides.
 *
 * <p>Precedence, highest first: command-line flags ({@link Overrides}), environment variables
 * ({@code OPS_MCP_*}, listed in {@link #ENV}), the configuration file ({@code --config} or
 * {@code OPS_MCP_CONFIG}), built-in defaults. The file is optional; without one the server runs on defaults.
 *
 * <p>Every top-level key must be one the server owns ({@link ServerFile}) or a section a toolset provider on the
 * class path declares ({@link OpsToolsetProvider#settingsSections()}); the server's own sections are bound to
 * records that reject unknown keys. A misspelt key fails the start with a message naming it and the valid ones
 * ({@code toolset: unknown setting; valid: auth, aws, control_socket, ...}) instead of being ignored.
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
            Map.entry("OPS_MCP_LOG_FORMAT", "logging.format"),
            Map.entry("OPS_MCP_PRINCIPAL", "identity.id"),
            Map.entry("OPS_MCP_ROLES", "identity.roles"),
            Map.entry("OPS_MCP_SANDBOX", "sandbox"),
            Map.entry("OPS_MCP_READ_ONLY", "tools.read_only"),
            Map.entry("OPS_MCP_TOOLS_INCLUDE", "tools.include"),
            Map.entry("OPS_MCP_TOOLS_EXCLUDE", "tools.exclude"),
            Map.entry("OPS_MCP_TOOL_DISCOVERY", "tools.discovery"),
            Map.entry("OPS_MCP_HTTP_STATELESS", "http.stateless"),
            // a container or task definition sets these without a mounted file; the other oauth and telemetry
            // settings have defaults, and OTel's own OTEL_EXPORTER_OTLP_* variables set the exporter
            Map.entry("OPS_MCP_OAUTH_ISSUER", "oauth.issuer"),
            Map.entry("OPS_MCP_OAUTH_RESOURCE", "oauth.resource"),
            Map.entry("OPS_MCP_METRICS", "telemetry.metrics.enabled"),
            Map.entry("OPS_MCP_TRACES", "telemetry.traces.enabled"));

    private static final Set<String> LIST_PATHS = Set.of(
            "http.allowed_hosts",
            "http.allowed_origins",
            "toolsets",
            "identity.roles",
            "tools.include",
            "tools.exclude",
            "tools.always_on");

    /** Switches that also come in as text (environment, flags) and take yes/no/on/off/1/0. */
    private static final List<String> BOOLEAN_PATHS = List.of(
            "sandbox",
            "tools.read_only",
            "tools.discovery",
            "http.stateless",
            "telemetry.metrics.enabled",
            "telemetry.traces.enabled");

    /** Values given on the command line; {@code null} means not given. */
    public record Overrides(
            String transport,
            String bind,
            Integer port,
            List<String> toolsets,
            Boolean sandbox,
            String logLevel,
            Path dataDir,
            ToolFlags tools) {
        public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null);

        /** Overrides without tool-list flags. */
        public Overrides(
                String transport,
                String bind,
                Integer port,
                List<String> toolsets,
                Boolean sandbox,
                String logLevel,
                Path dataDir) {
            this(transport, bind, port, toolsets, sandbox, logLevel, dataDir, ToolFlags.NONE);
        }

        public Overrides {
            tools = tools == null ? ToolFlags.NONE : tools;
        }
    }

    /**
     * The tool-list flags of {@code serve} and {@code tools}; {@code null} (or an empty list) means not given. A
     * list given replaces the configured one.
     */
    public record ToolFlags(Boolean readOnly, List<String> include, List<String> exclude, Boolean discovery) {
        public static final ToolFlags NONE = new ToolFlags(null, null, null, null);
    }

    private final Map<String, String> env;
    private final Set<String> toolsetSections;
    private final YAMLMapper yaml = YAMLMapper.builder().build();

    /**
     * A loader that accepts the sections of the toolset providers on the class path.
     *
     * @param env the process environment (injected so tests can pass their own)
     */
    public ConfigLoader(Map<String, String> env) {
        this(env, discoverSections());
    }

    /**
     * @param env             the process environment
     * @param toolsetSections top-level keys owned by toolsets ({@code hosts}, {@code aws}, ...), accepted as they are
     */
    public ConfigLoader(Map<String, String> env, Set<String> toolsetSections) {
        this.env = Map.copyOf(env);
        this.toolsetSections = Set.copyOf(toolsetSections);
    }

    /** The sections every {@link OpsToolsetProvider} on the class path reads (enabled or not). */
    public static Set<String> discoverSections() {
        Set<String> sections = new TreeSet<>();
        ServiceLoader.load(OpsToolsetProvider.class).forEach(p -> sections.addAll(p.settingsSections()));
        return sections;
    }

    /**
     * Loads the configuration.
     *
     * @param configFile path from {@code --config}, or {@code null} to use {@code OPS_MCP_CONFIG} or none
     * @throws ConfigException when the file is missing or unreadable, is not YAML, or a setting is invalid
     */
    public OpsMcpConfig load(Path configFile, Overrides overrides) {
        Path file = configFile != null
                ? configFile
                : env.get("OPS_MCP_CONFIG") != null
                                && !env.get("OPS_MCP_CONFIG").isBlank()
                        ? Path.of(env.get("OPS_MCP_CONFIG"))
                        : null;
        ObjectNode tree = file == null ? JsonNodeFactory.instance.objectNode() : read(file);
        for (Map.Entry<String, String> e : ENV.entrySet()) {
            String value = env.get(e.getKey());
            if (value != null && !value.isBlank()) {
                put(tree, e.getValue(), value.trim());
            }
        }
        apply(tree, overrides);
        ServerFile server = bind(tree);
        ApiKeys apiKeys = ApiKeys.fromConfig(tree);
        // checked here, not only when the runtime starts, so that a configuration check reports a bad rule
        io.opsmcp.limits.RateLimitRule.fromConfig(tree);
        Optional<OAuthSettings> oauth;
        try {
            oauth = OAuthSettings.fromConfig(tree);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        try {
            // checked here too, so that a configuration check names a bad receiver setting; the secrets are read only
            // by the server that serves the receivers (OpsMcpRuntime), so CLI commands do not need them
            io.opsmcp.alerts.AlertSettings.check(tree.path("alerts"));
            // notifications and the approval page: checked here too, so a configuration check reports them
            io.opsmcp.notify.NotificationSettings.fromConfig(tree, env);
            io.opsmcp.server.ui.UiSettings.fromConfig(tree, env);
        } catch (io.opsmcp.core.config.InvalidConfigException | IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        ServerSettings settings = settings(server).validate(!apiKeys.isEmpty() || oauth.isPresent());
        return new OpsMcpConfig(settings, apiKeys, tree, file == null ? "built-in defaults" : file.toString(), oauth);
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
        ToolFlags tools = o.tools();
        if (tools.readOnly() != null) {
            put(tree, "tools.read_only", tools.readOnly().toString());
        }
        if (tools.include() != null && !tools.include().isEmpty()) {
            putList(tree, "tools.include", tools.include());
        }
        if (tools.exclude() != null && !tools.exclude().isEmpty()) {
            putList(tree, "tools.exclude", tools.exclude());
        }
        if (tools.discovery() != null) {
            put(tree, "tools.discovery", tools.discovery().toString());
        }
    }

    /** Sets a list from flags as given: no comma splitting, so a bad pattern is reported whole. */
    private static void putList(ObjectNode tree, String path, List<String> values) {
        put(tree, path, "");
        String[] parts = path.split("\\.");
        ArrayNode array = (ArrayNode) tree.path(parts[0]).path(parts[1]);
        values.forEach(array::add);
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
            Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .forEach(array::add);
        } else {
            node.put(leaf, value);
        }
    }

    /**
     * Checks the top-level keys and binds the server's own. Values that came in as text (environment, flags, or
     * {@code toolsets: hosts, aws} in the file) are normalised first: comma-separated lists become lists and
     * {@code sandbox} and {@code http.stateless} take yes/no/on/off/1/0 as {@code sandbox} always has.
     */
    private ServerFile bind(ObjectNode tree) {
        Set<String> valid = new TreeSet<>(ServerFile.KEYS);
        valid.addAll(toolsetSections);
        ObjectNode own = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
            if (!valid.contains(e.getKey())) {
                throw new ConfigException(e.getKey() + ": unknown setting; valid: " + String.join(", ", valid));
            }
            if (ServerFile.KEYS.contains(e.getKey())) {
                own.set(e.getKey(), e.getValue());
            }
        }
        for (String path : LIST_PATHS) {
            splitList(own, path);
        }
        for (String path : BOOLEAN_PATHS) {
            switchValue(own, path);
        }
        try {
            return ConfigBinding.bind(own, "", ServerFile.class);
        } catch (IllegalArgumentException e) {
            // the root path is empty: "http.port: ..." rather than ".http.port: ..."
            String message = e.getMessage();
            throw new ConfigException(message.startsWith(".") ? message.substring(1) : message);
        }
    }

    /** Replaces a text switch at {@code path} ({@code "yes"}, {@code "off"}) by its boolean. */
    private static void switchValue(ObjectNode root, String path) {
        String[] parts = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1 && parent != null; i++) {
            parent = parent.get(parts[i]);
        }
        if (!(parent instanceof ObjectNode obj)) {
            return;
        }
        String leaf = parts[parts.length - 1];
        JsonNode value = obj.get(leaf);
        if (value != null && value.isString()) {
            switch (value.asString().trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1", "on" -> obj.put(leaf, true);
                case "false", "no", "0", "off" -> obj.put(leaf, false);
                default -> {} // left for the binding to reject with the rule
            }
        }
    }

    /** Replaces a scalar at {@code path} ({@code "hosts, aws"}) by the list of its comma-separated parts. */
    private static void splitList(ObjectNode root, String path) {
        String[] parts = path.split("\\.");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1 && parent != null; i++) {
            parent = parent.get(parts[i]);
        }
        if (!(parent instanceof ObjectNode obj)) {
            return;
        }
        String leaf = parts[parts.length - 1];
        JsonNode value = obj.get(leaf);
        if (value != null && value.isValueNode() && !value.isNull()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            Arrays.stream(value.asString().split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .forEach(array::add);
            obj.set(leaf, array);
        }
    }

    private ServerSettings settings(ServerFile file) {
        String user = System.getProperty("user.name", "local");
        Path defaultDataDir = env.get("XDG_DATA_HOME") != null
                ? Path.of(env.get("XDG_DATA_HOME"), "ops-mcp")
                : Path.of(System.getProperty("user.home"), ".local", "share", "ops-mcp");
        ServerFile.Http http = file.http() != null
                ? file.http()
                : new ServerFile.Http(null, null, null, null, null, null, null, null, null);
        ServerFile.Limits limits = file.limits() != null ? file.limits() : new ServerFile.Limits(null, null, null);
        ServerFile.Logging logging = file.logging() != null ? file.logging() : new ServerFile.Logging(null, null, null);
        ServerFile.Identity identity = file.identity() != null ? file.identity() : new ServerFile.Identity(null, null);
        ServerFile.Tools tools =
                file.tools() != null ? file.tools() : new ServerFile.Tools(null, null, null, null, null);
        return new ServerSettings(
                or(file.transport(), "stdio"),
                or(http.bind(), "127.0.0.1"),
                or(http.port(), 8080),
                or(http.allowedHosts(), List.of()),
                or(http.allowedOrigins(), List.of()),
                expandHome(or(file.dataDir(), defaultDataDir.toString())),
                or(file.toolsets(), List.of("hosts")),
                or(limits.resultMaxBytes(), 64 * 1024),
                Duration.ofSeconds(or(limits.toolTimeoutSeconds(), 60)),
                or(logging.level(), "info").toLowerCase(Locale.ROOT),
                logging.file() == null ? null : expandHome(logging.file()),
                or(logging.format(), "text").toLowerCase(Locale.ROOT),
                or(identity.id(), user),
                new LinkedHashSet<>(or(identity.roles(), List.of("viewer"))),
                or(file.sandbox(), false),
                new ToolListSettings(
                        or(tools.readOnly(), false),
                        tools.include(),
                        or(tools.exclude(), List.of()),
                        or(tools.discovery(), false),
                        or(tools.alwaysOn(), List.of())),
                or(http.stateless(), false));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Expands a leading {@code ~/} to the user's home directory. */
    public static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }
}
