package io.opsmcp.tools.system.catalog;

import io.opsmcp.core.tool.ShippedRead;
import io.opsmcp.toolkit.config.ConfigBinding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The host command catalog: the shipped defaults ({@code default-catalog.yaml} next to this class) merged with
 * the {@code host_catalog:} section of the configuration, so operators add diagnostics without code. The format
 * is documented in {@code toolsets/system/README.md}; every rule broken names the setting, e.g.
 * {@code host_catalog.commands[0].parameters.lines.max: must be a whole number}.
 *
 * @param entries the commands, defaults first, in order
 */
public record CommandCatalog(List<CatalogEntry> entries) {

    static final String DEFAULTS = "default-catalog.yaml";
    /** Programs that run their {@code -c} argument as a script: parameters must never be spliced into it. */
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox");

    private static final int DEFAULT_TIMEOUT_SECONDS = 20;
    private static final int DEFAULT_MAX_OUTPUT = 262_144;
    private static final int MAX_PATHS = 7;

    public CommandCatalog {
        entries = List.copyOf(entries);
    }

    /**
     * Reads the catalog: the defaults (unless {@code host_catalog.include_defaults: false}) without those named in
     * {@code host_catalog.disable}, then {@code host_catalog.commands}, where an entry named like a default
     * replaces it.
     *
     * @throws IllegalArgumentException naming the setting and the rule it breaks
     */
    public static CommandCatalog parse(JsonNode settings) {
        Section section = ConfigBinding.bind(
                settings == null ? null : settings.get("host_catalog"), "host_catalog", Section.class);
        Map<String, CatalogEntry> byName = new LinkedHashMap<>();
        if (!Boolean.FALSE.equals(section.includeDefaults())) {
            for (CatalogEntry e : shipped()) {
                byName.put(e.name(), e);
            }
        }
        for (int i = 0; i < section.disable().size(); i++) {
            String name = section.disable().get(i);
            if (byName.remove(name) == null) {
                throw new IllegalArgumentException("host_catalog.disable[" + i + "]: '" + name
                        + "' is not a shipped command; shipped: " + byName.keySet());
            }
        }
        if (section.commands() != null && !section.commands().isNull()) {
            for (CatalogEntry e : entries(section.commands(), "host_catalog.commands")) {
                byName.put(e.name(), e);
            }
        }
        return new CommandCatalog(new ArrayList<>(byName.values()));
    }

    /**
     * {@code host_catalog:} as written, bound by {@link ConfigBinding} (unknown keys are errors). The commands stay
     * a tree: each entry's parameters take a different shape per type, read by {@link #entry}.
     *
     * @param includeDefaults whether the shipped commands are in (absent means {@code true})
     * @param disable         shipped commands to leave out
     * @param commands        the operator's commands (a list), or {@code null}
     */
    public record Section(Boolean includeDefaults, List<String> disable, JsonNode commands) {
        public Section {
            disable = disable == null ? List.of() : List.copyOf(disable);
        }
    }

    /**
     * The shipped commands ({@value #DEFAULTS}), read once per process: by the first call, or ahead of it by
     * {@code HostToolsetProvider.prepare()} on a start-up thread (a call meanwhile waits for that read, through the
     * holder's class initialization). A shipped file that does not read fails every call with the same exception,
     * naming the file and the entry: the toolset fails closed, never with an empty catalog.
     *
     * @throws IllegalArgumentException naming the entry and the rule it breaks
     * @throws IllegalStateException    when the file is missing
     */
    public static List<CatalogEntry> shipped() {
        return Shipped.COMMANDS.get();
    }

    /** The shipped commands, read when this class is first used (once per process: an immutable constant). */
    private static final class Shipped {
        static final ShippedRead<List<CatalogEntry>> COMMANDS =
                ShippedRead.of(() -> read(() -> CommandCatalog.class.getResourceAsStream(CommandCatalog.DEFAULTS)));
    }

    /**
     * Reads and checks a shipped catalog from {@code source} (which may return {@code null}: missing).
     *
     * @throws IllegalArgumentException naming the entry and the rule it breaks
     * @throws IllegalStateException    when {@code source} has nothing
     * @throws UncheckedIOException     when it does not read
     */
    static List<CatalogEntry> read(java.util.function.Supplier<InputStream> source) {
        try (InputStream in = source.get()) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the class path");
            }
            JsonNode tree = YAMLMapper.builder().build().readTree(in);
            return List.copyOf(entries(tree == null ? null : tree.get("commands"), DEFAULTS + " commands"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS, e);
        }
    }

    private static List<CatalogEntry> entries(JsonNode list, String at) {
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(at + ": must be a list of commands");
        }
        List<CatalogEntry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            CatalogEntry e = entry(list.get(i), at + "[" + i + "]");
            if (!names.add(e.name())) {
                throw new IllegalArgumentException(at + "[" + i + "].name: '" + e.name() + "' is used twice");
            }
            out.add(e);
        }
        return out;
    }

    static CatalogEntry entry(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(at + ": must be a mapping with name, description, argv");
        }
        allowOnly(
                node,
                at,
                Set.of(
                        "name",
                        "title",
                        "description",
                        "argv",
                        "parameters",
                        "read_only",
                        "destructive",
                        "timeout_seconds",
                        "max_output_bytes",
                        "output"));
        String name = string(node, "name", at, true);
        if (!name.matches(CatalogEntry.NAME_PATTERN)) {
            throw new IllegalArgumentException(at + ".name: '" + name + "' must match " + CatalogEntry.NAME_PATTERN);
        }
        String title = string(node, "title", at, false);
        String description = string(node, "description", at, true);
        Map<String, CatalogParameter> parameters = parameters(node.get("parameters"), at + ".parameters");
        List<String> argv = argv(node.get("argv"), at + ".argv", parameters.keySet());
        if (parameters.values().stream()
                        .filter(p -> p instanceof CatalogParameter.FilePath)
                        .count()
                > MAX_PATHS) {
            // each path is opened on its own descriptor (3..9) by the host before the command runs
            throw new IllegalArgumentException(at + ".parameters: at most " + MAX_PATHS + " parameters of type path");
        }
        boolean readOnly = bool(node, "read_only", at, true);
        boolean destructive = bool(node, "destructive", at, false);
        if (readOnly && destructive) {
            throw new IllegalArgumentException(at + ".destructive: a read_only command cannot be destructive");
        }
        int timeout = integer(node, "timeout_seconds", at, DEFAULT_TIMEOUT_SECONDS, 1, 3600);
        int maxOutput = integer(node, "max_output_bytes", at, DEFAULT_MAX_OUTPUT, 1024, 16 << 20);
        String output = string(node, "output", at, false);
        CatalogEntry.OutputFormat format;
        try {
            format = output == null
                    ? CatalogEntry.OutputFormat.TEXT
                    : CatalogEntry.OutputFormat.valueOf(output.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    at + ".output: must be text, key_value or certificate, not '" + output + "'");
        }
        return new CatalogEntry(
                name,
                title == null ? name : title,
                description,
                argv,
                new ArrayList<>(parameters.values()),
                readOnly,
                destructive,
                Duration.ofSeconds(timeout),
                maxOutput,
                format);
    }

    private static List<String> argv(JsonNode node, String at, Set<String> parameterNames) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(at + ": must be a non-empty list of words");
        }
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode word = node.get(i);
            if (!word.isString() && !word.isNumber()) {
                throw new IllegalArgumentException(at + "[" + i + "]: must be a string");
            }
            String text = word.asString();
            if (text.chars().anyMatch(c -> c == 0 || c == '\n' || c == '\r')) {
                throw new IllegalArgumentException(at + "[" + i + "]: must not contain NUL, CR or LF");
            }
            for (String p : CatalogEntry.placeholders(text)) {
                if (!parameterNames.contains(p)) {
                    throw new IllegalArgumentException(at + "[" + i + "]: ${" + p + "} is not a parameter; parameters: "
                            + parameterNames + " (write $1 rather than ${1} in shell scripts)");
                }
            }
            argv.add(text);
        }
        if (!CatalogEntry.placeholders(argv.get(0)).isEmpty()) {
            throw new IllegalArgumentException(at + "[0]: the program must be a fixed word");
        }
        int shell = -1;
        for (int i = 0; i < argv.size() && shell < 0; i++) {
            String word = argv.get(i);
            if (SHELLS.contains(word.substring(word.lastIndexOf('/') + 1))) {
                shell = i;
            }
        }
        if (shell >= 0) {
            for (int i = shell + 1; i + 1 < argv.size(); i++) {
                if (argv.get(i).matches("^-[a-z]*c[a-z]*$")
                        && !CatalogEntry.placeholders(argv.get(i + 1)).isEmpty()) {
                    throw new IllegalArgumentException(at + "[" + (i + 1) + "]: parameters must not be spliced into a"
                            + " shell script; pass them as positional arguments after the script and use \"$1\"");
                }
            }
        }
        return argv;
    }

    private static Map<String, CatalogParameter> parameters(JsonNode node, String at) {
        Map<String, CatalogParameter> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(at + ": must be a mapping of parameter name to its type and rules");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            String pat = at + "." + name;
            if (!name.matches(CatalogParameter.NAME_PATTERN) || name.equals("host")) {
                throw new IllegalArgumentException(
                        pat + ": parameter names must match " + CatalogParameter.NAME_PATTERN + " and not be 'host'");
            }
            out.put(name, parameter(name, e.getValue(), pat));
        }
        return out;
    }

    private static CatalogParameter parameter(String name, JsonNode node, String at) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(at + ": must be a mapping with type and its rules");
        }
        String type = string(node, "type", at, true);
        String description = string(node, "description", at, true);
        boolean required = bool(node, "required", at, false);
        switch (type) {
            case "enum" -> {
                allowOnly(node, at, Set.of("type", "description", "required", "values", "default"));
                Map<String, String> values = new LinkedHashMap<>();
                JsonNode v = node.get("values");
                if (v != null && v.isArray()) {
                    v.forEach(x -> values.put(x.asString(), x.asString()));
                } else if (v != null && v.isObject()) {
                    v.properties()
                            .forEach(x -> values.put(x.getKey(), x.getValue().asString()));
                } else {
                    throw new IllegalArgumentException(at + ".values: must be a list of values or a mapping of value"
                            + " to the argv text it stands for");
                }
                if (values.isEmpty()) {
                    throw new IllegalArgumentException(at + ".values: must not be empty");
                }
                values.forEach((k, text) -> {
                    if (k.isEmpty()
                            || k.startsWith("-")
                            || text.isEmpty()
                            || text.startsWith("-")
                            || (k + text).chars().anyMatch(Character::isISOControl)) {
                        throw new IllegalArgumentException(at + ".values: '" + k + "' must be non-empty, must not start"
                                + " with '-' and must not contain control characters (nor may the text it stands for)");
                    }
                });
                String fallback = string(node, "default", at, false);
                if (fallback != null && !values.containsKey(fallback)) {
                    throw new IllegalArgumentException(at + ".default: must be one of " + values.keySet());
                }
                return new CatalogParameter.Choice(name, description, required, values, fallback);
            }
            case "integer" -> {
                allowOnly(node, at, Set.of("type", "description", "required", "min", "max", "default"));
                long min = longValue(node, "min", at, true, 0);
                long max = longValue(node, "max", at, true, 0);
                if (min < 0 || max < min) {
                    throw new IllegalArgumentException(
                            at + ": min must be >= 0 and max >= min (negative numbers" + " would start with '-')");
                }
                Long fallback = node.has("default") ? longValue(node, "default", at, true, 0) : null;
                if (fallback != null && (fallback < min || fallback > max)) {
                    throw new IllegalArgumentException(at + ".default: must be " + min + ".." + max);
                }
                return new CatalogParameter.Range(name, description, required, min, max, fallback);
            }
            case "regex" -> {
                allowOnly(node, at, Set.of("type", "description", "required", "pattern", "max_length", "default"));
                String source = string(node, "pattern", at, true);
                Pattern pattern;
                try {
                    pattern = Pattern.compile(source);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(
                            at + ".pattern: not a valid regular expression: " + e.getDescription());
                }
                int maxLength = integer(node, "max_length", at, 255, 1, 4096);
                String fallback = string(node, "default", at, false);
                CatalogParameter.Regex p =
                        new CatalogParameter.Regex(name, description, required, pattern, maxLength, fallback);
                if (fallback != null) {
                    try {
                        p.bind(tools.jackson.databind.node.StringNode.valueOf(fallback));
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(at + ".default: " + e.getMessage());
                    }
                }
                return p;
            }
            case "path" -> {
                allowOnly(node, at, Set.of("type", "description", "required", "globs"));
                JsonNode g = node.get("globs");
                if (g == null || !g.isArray() || g.isEmpty()) {
                    throw new IllegalArgumentException(
                            at + ".globs: must be a non-empty list of absolute path globs" + " such as /var/log/**");
                }
                List<String> globs = new ArrayList<>();
                for (int i = 0; i < g.size(); i++) {
                    String glob = g.get(i).asString("");
                    if (!glob.startsWith("/")
                            || glob.contains("..")
                            || glob.chars().anyMatch(Character::isISOControl)) {
                        throw new IllegalArgumentException(
                                at + ".globs[" + i + "]: must be an absolute glob without '..'");
                    }
                    try {
                        java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(
                                at + ".globs[" + i + "]: not a valid glob: " + e.getMessage());
                    }
                    globs.add(glob);
                }
                return new CatalogParameter.FilePath(
                        name, description + " Allowed: " + String.join(", ", globs) + ".", required, globs);
            }
            default ->
                throw new IllegalArgumentException(
                        at + ".type: must be enum, integer, regex or path, not '" + type + "'");
        }
    }

    private static void allowOnly(JsonNode node, String at, Set<String> allowed) {
        for (String key : node.propertyNames()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(at + "." + key + ": unknown setting; valid: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static String string(JsonNode node, String key, String at, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(at + "." + key + ": is required");
            }
            return null;
        }
        if (!v.isString() || v.asString().isBlank()) {
            throw new IllegalArgumentException(at + "." + key + ": must be a non-empty string");
        }
        return v.asString().strip();
    }

    private static boolean bool(JsonNode node, String key, String at, boolean fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(at + "." + key + ": must be true or false");
        }
        return v.booleanValue();
    }

    private static int integer(JsonNode node, String key, String at, int fallback, int min, int max) {
        long v = longValue(node, key, at, false, fallback);
        if (v < min || v > max) {
            throw new IllegalArgumentException(at + "." + key + ": must be " + min + ".." + max + ", not " + v);
        }
        return (int) v;
    }

    private static long longValue(JsonNode node, String key, String at, boolean required, long fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(at + "." + key + ": is required");
            }
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(at + "." + key + ": must be a whole number");
        }
        return v.longValue();
    }
}
