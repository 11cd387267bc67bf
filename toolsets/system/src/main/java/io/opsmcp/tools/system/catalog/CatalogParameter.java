package io.opsmcp.tools.system.catalog;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One typed parameter of a catalog command. Every type validates the argument completely before anything is
 * run, publishes the same rule in its JSON Schema, and never produces a value that starts with {@code -} (so a
 * value cannot turn into an option of the remote program) or holds a control character.
 */
public sealed interface CatalogParameter {

    /** Parameter names: lower-case words joined by underscores; {@code host} is taken by every host tool. */
    String NAME_PATTERN = "^[a-z][a-z0-9_]{0,31}$";

    String name();

    String description();

    boolean required();

    /** JSON Schema (draft 2020-12) of the argument. */
    ObjectNode schema();

    /**
     * Validates one argument and returns the text substituted into the argv template.
     *
     * @param node the argument, or {@code null}/JSON null when absent
     * @return the argv text, or {@code null} when the argument is absent, optional and has no default
     * @throws ToolException INVALID_ARGUMENT naming the parameter and the rule it breaks
     */
    String bind(JsonNode node);

    /** One of a fixed set of values; each value may stand for another argv text (e.g. a dmesg level list). */
    record Choice(String name, String description, boolean required, Map<String, String> values, String defaultValue)
            implements CatalogParameter {
        public Choice {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        @Override
        public ObjectNode schema() {
            ObjectNode p = base(this, "string");
            ArrayNode e = p.putArray("enum");
            values.keySet().forEach(e::add);
            if (defaultValue != null) {
                p.put("default", defaultValue);
            }
            return p;
        }

        @Override
        public String bind(JsonNode node) {
            String value = absent(node) ? defaultValue : text(this, node);
            if (value == null) {
                return missing(this);
            }
            String mapped = values.get(value);
            if (mapped == null) {
                throw invalid(name, "must be one of " + values.keySet() + ", not '" + printable(value) + "'");
            }
            return mapped;
        }
    }

    /** A whole number in an inclusive range. */
    record Range(String name, String description, boolean required, long min, long max, Long defaultValue)
            implements CatalogParameter {
        @Override
        public ObjectNode schema() {
            ObjectNode p = base(this, "integer");
            p.put("minimum", min);
            p.put("maximum", max);
            if (defaultValue != null) {
                p.put("default", defaultValue);
            }
            return p;
        }

        @Override
        public String bind(JsonNode node) {
            if (absent(node)) {
                return defaultValue == null ? missing(this) : Long.toString(defaultValue);
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw invalid(name, "must be a whole number " + min + ".." + max);
            }
            long value = node.longValue();
            if (value < min || value > max) {
                throw invalid(name, "must be " + min + ".." + max + ", not " + value);
            }
            return Long.toString(value);
        }
    }

    /**
     * A string that must match a regular expression as a whole (it is anchored), must not start with {@code -} and
     * must not contain control characters.
     */
    record Regex(String name, String description, boolean required, Pattern pattern, int maxLength, String defaultValue)
            implements CatalogParameter {
        @Override
        public ObjectNode schema() {
            ObjectNode p = base(this, "string");
            p.put("minLength", 1);
            p.put("maxLength", maxLength);
            p.put("pattern", "^(?:" + pattern.pattern() + ")$");
            p.putObject("not").put("pattern", "^-");
            if (defaultValue != null) {
                p.put("default", defaultValue);
            }
            return p;
        }

        @Override
        public String bind(JsonNode node) {
            String value = absent(node) ? defaultValue : text(this, node);
            if (value == null) {
                return missing(this);
            }
            if (value.isEmpty() || value.length() > maxLength) {
                throw invalid(name, "must be 1.." + maxLength + " characters");
            }
            if (value.startsWith("-")) {
                throw invalid(name, "must not start with '-'");
            }
            if (value.chars().anyMatch(Character::isISOControl)) {
                throw invalid(name, "must not contain control characters");
            }
            if (!pattern.matcher(value).matches()) {
                throw invalid(name, "must match ^(?:" + pattern.pattern() + ")$");
            }
            return value;
        }
    }

    /**
     * An absolute path that must fall under one of an allowlist of globs ({@code /var/log/**}; glob syntax of
     * {@link java.nio.file.FileSystem#getPathMatcher}, where {@code **} crosses directories). The path is
     * normalised text: no {@code .} or {@code ..} segments, no empty segments, only {@value #CHARS}. Symbolic
     * links are resolved on the host before the command runs and the target is checked against the globs again.
     */
    record FilePath(String name, String description, boolean required, List<String> globs) implements CatalogParameter {

        static final String CHARS = "letters, digits and . _ @ + - /";
        static final String PATTERN = "^/[A-Za-z0-9._@+/-]*$";
        private static final Pattern SAFE = Pattern.compile(PATTERN);

        public FilePath {
            globs = List.copyOf(globs);
        }

        @Override
        public ObjectNode schema() {
            ObjectNode p = base(this, "string");
            p.put("minLength", 1);
            p.put("maxLength", 4096);
            p.put("pattern", PATTERN);
            return p;
        }

        @Override
        public String bind(JsonNode node) {
            String value = absent(node) ? null : text(this, node);
            if (value == null) {
                return missing(this);
            }
            if (!SAFE.matcher(value).matches()) {
                throw invalid(name, "must be an absolute path of " + CHARS + " (" + PATTERN + ")");
            }
            for (String segment : value.substring(1).split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    throw invalid(name, "must be a normalised path without empty, '.' or '..' segments");
                }
            }
            requireAllowed(value);
            return value;
        }

        /**
         * @throws ToolException INVALID_ARGUMENT when the path is under none of the globs
         */
        public void requireAllowed(String path) {
            Path p = Path.of(path);
            for (String glob : globs) {
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
                if (matcher.matches(p)) {
                    return;
                }
            }
            throw new ToolException(
                    Kind.FORBIDDEN,
                    name + ": " + path + " is outside the allowed paths " + globs + " (host_catalog: parameters." + name
                            + ".globs)");
        }
    }

    private static ObjectNode base(CatalogParameter parameter, String type) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("type", type);
        p.put("description", parameter.description());
        return p;
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static String text(CatalogParameter parameter, JsonNode node) {
        if (!node.isString()) {
            throw invalid(parameter.name(), "must be a string");
        }
        return node.asString();
    }

    private static String missing(CatalogParameter parameter) {
        if (parameter.required()) {
            throw invalid(parameter.name(), "is required");
        }
        return null;
    }

    private static String printable(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "…" : clean;
    }

    private static ToolException invalid(String field, String rule) {
        Objects.requireNonNull(field);
        return new ToolException(Kind.INVALID_ARGUMENT, field + ": " + rule);
    }
}
