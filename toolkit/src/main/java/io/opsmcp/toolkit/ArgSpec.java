package io.opsmcp.toolkit;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One tool argument, declared once: the same declaration publishes the JSON-Schema property in
 * {@code tools/list} ({@link #schema()}) and reads the typed value inside the tool ({@link #read}). Because both
 * come from one place, what a tool accepts cannot drift from what it advertises.
 *
 * <p>The gateway validates arguments against the published schema before a tool runs; {@link #read} checks
 * again (defence in depth, and the only check when a tool is called some other way) and throws a
 * {@link ToolException} of kind {@code INVALID_ARGUMENT} whose message is {@code "<name>: <rule>"}.
 *
 * <p>Instances are immutable; each refining method returns a new spec. Typical use, as constants of a tool:
 * <pre>{@code
 * static final ArgSpec<String> HOST = ArgSpec.string("host").pattern(HostEntry.NAME_PATTERN).maxLength(64)
 *         .description("Host name from hosts.yaml").required();
 * static final ArgSpec<Integer> LIMIT = ArgSpec.integer("limit").range(1, 500).defaultValue(50);
 * static final ArgSpec<Instant> SINCE = ArgSpec.since("since").defaultAgo(Duration.ofHours(1));
 * ObjectNode inputSchema = ArgSpec.schema(HOST, LIMIT, SINCE);
 * }</pre>
 *
 * @param <T> the Java type the argument is read as
 */
public final class ArgSpec<T> {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What kind of value an argument holds; decides its schema and its reader. */
    private enum Kind {
        STRING,
        INTEGER,
        LONG,
        NUMBER,
        BOOLEAN,
        ENUM,
        STRING_LIST,
        SINCE,
        DURATION,
        JSON
    }

    private final String name;
    private final Kind kind;
    // The rules below are written only on a fresh copy inside the factories and refining methods, before it is
    // returned; a spec that has been handed out (typically a static final constant) never changes again.
    private String description;
    private boolean required;
    private T fallback;
    private String fallbackText;
    private Duration defaultAgo;
    private Pattern pattern;
    private String schemaPattern;
    private List<Rejection> rejections = List.of();
    private int maxLength;
    private int minLength;
    private Long min;
    private Long max;
    private List<String> values = List.of();
    private Class<? extends Enum<?>> enumType;
    private Duration maxAge;
    private Duration minDuration;
    private Duration maxDuration;
    private Integer maxItems;
    private ObjectNode rawSchema;

    private ArgSpec(String name, Kind kind) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("^[a-z][a-z0-9_]{0,63}$")) {
            throw new IllegalArgumentException("argument name '" + name + "' must be snake_case");
        }
        this.name = name;
        this.kind = kind;
    }

    /** A copy to refine; the receiver stays as it is. */
    private ArgSpec<T> copy() {
        ArgSpec<T> c = new ArgSpec<>(name, kind);
        c.description = description;
        c.required = required;
        c.fallback = fallback;
        c.fallbackText = fallbackText;
        c.defaultAgo = defaultAgo;
        c.pattern = pattern;
        c.schemaPattern = schemaPattern;
        c.rejections = rejections;
        c.maxLength = maxLength;
        c.minLength = minLength;
        c.min = min;
        c.max = max;
        c.values = values;
        c.enumType = enumType;
        c.maxAge = maxAge;
        c.minDuration = minDuration;
        c.maxDuration = maxDuration;
        c.maxItems = maxItems;
        c.rawSchema = rawSchema;
        return c;
    }

    // ---- factories ------------------------------------------------------------------------------------------

    /** A string argument; refine with {@link #pattern}, {@link #maxLength}, {@link #nonEmpty}. */
    public static ArgSpec<String> string(String name) {
        return new ArgSpec<>(name, Kind.STRING);
    }

    /** An integer argument (JSON integer, read as {@code int}); refine with {@link #range}. */
    public static ArgSpec<Integer> integer(String name) {
        return new ArgSpec<>(name, Kind.INTEGER);
    }

    /**
     * A 64-bit integer argument (JSON integer, read as {@code long}), for ids that outgrow {@code int} (gitlab.com
     * job ids are past 2^31); refine with {@link #range} or {@link #atLeast}.
     */
    public static ArgSpec<Long> longInteger(String name) {
        return new ArgSpec<>(name, Kind.LONG);
    }

    /** A number argument (read as {@code double}); refine with {@link #range}. */
    public static ArgSpec<Double> number(String name) {
        return new ArgSpec<>(name, Kind.NUMBER);
    }

    /** A boolean argument; absent reads as {@code false} unless {@link #defaultValue} says otherwise. */
    public static ArgSpec<Boolean> bool(String name) {
        ArgSpec<Boolean> spec = new ArgSpec<>(name, Kind.BOOLEAN);
        spec.fallback = Boolean.FALSE;
        return spec;
    }

    /** A string from a fixed list of values. */
    public static ArgSpec<String> oneOf(String name, String... values) {
        ArgSpec<String> spec = new ArgSpec<>(name, Kind.ENUM);
        spec.values = List.of(values);
        return spec;
    }

    /**
     * An enum argument. The wire value of a constant is {@link Wire#wireName()} when the enum implements
     * {@link Wire}, otherwise its name in lower case.
     */
    public static <E extends Enum<E>> ArgSpec<E> enumeration(String name, Class<E> type) {
        List<String> wire = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            wire.add(wireName(constant));
        }
        ArgSpec<E> spec = new ArgSpec<>(name, Kind.ENUM);
        spec.values = List.copyOf(wire);
        spec.enumType = type;
        return spec;
    }

    /** An array of strings; refine with {@link #pattern} (each item), {@link #maxLength} (each item), {@link #maxItems}. */
    public static ArgSpec<List<String>> stringList(String name) {
        return new ArgSpec<>(name, Kind.STRING_LIST);
    }

    /**
     * A point in the past in the {@linkplain Durations one grammar} ({@code 30m} ago, an RFC 3339 time, a date),
     * read as an {@link Instant}. Refine with {@link #defaultAgo} and {@link #maxAge}.
     */
    public static ArgSpec<Instant> since(String name) {
        ArgSpec<Instant> spec = new ArgSpec<>(name, Kind.SINCE);
        spec.pattern = Pattern.compile(Durations.SINCE_PATTERN);
        spec.schemaPattern = Durations.SINCE_SCHEMA_PATTERN;
        spec.maxLength = 64;
        return spec;
    }

    /** A duration in the {@linkplain Durations one grammar}; refine with {@link #durationRange}. */
    public static ArgSpec<Duration> duration(String name) {
        ArgSpec<Duration> spec = new ArgSpec<>(name, Kind.DURATION);
        spec.pattern = Pattern.compile(Durations.PATTERN);
        spec.schemaPattern = Durations.SCHEMA_PATTERN;
        spec.maxLength = 64;
        return spec;
    }

    /**
     * Any JSON value with a schema given literally (objects, unions): the escape hatch for shapes the other
     * factories do not cover. {@link #read} returns the node as sent; the schema does the validation.
     */
    public static ArgSpec<JsonNode> json(String name, ObjectNode schema) {
        ArgSpec<JsonNode> spec = new ArgSpec<>(name, Kind.JSON);
        spec.rawSchema = schema.deepCopy();
        return spec;
    }

    // ---- refinements ----------------------------------------------------------------------------------------

    /** The description the model reads; say what the value means, its form and a typical value. */
    public ArgSpec<T> description(String text) {
        ArgSpec<T> c = copy();
        c.description = text;
        return c;
    }

    /** The argument must be given. */
    public ArgSpec<T> required() {
        ArgSpec<T> c = copy();
        c.required = true;
        c.fallback = null;
        c.fallbackText = null;
        c.defaultAgo = null;
        return c;
    }

    /** The value used when the argument is absent; published as the schema's {@code default}. */
    public ArgSpec<T> defaultValue(T value) {
        ArgSpec<T> c = copy();
        c.required = false;
        c.fallback = value;
        c.fallbackText = null;
        c.defaultAgo = null;
        return c;
    }

    /** For {@link #since}: the point read when the argument is absent, {@code ago} before now. */
    public ArgSpec<T> defaultAgo(Duration ago) {
        requireKind(Kind.SINCE, "defaultAgo");
        ArgSpec<T> c = copy();
        c.required = false;
        c.fallback = null;
        c.fallbackText = Durations.format(ago);
        c.defaultAgo = ago;
        return c;
    }

    /** For {@link #since}: an older point is raised to {@code now - age} (bounds how much is read). */
    public ArgSpec<T> maxAge(Duration age) {
        requireKind(Kind.SINCE, "maxAge");
        ArgSpec<T> c = copy();
        c.maxAge = age;
        return c;
    }

    /** For {@link #duration}: the inclusive bounds. */
    public ArgSpec<T> durationRange(Duration least, Duration most) {
        requireKind(Kind.DURATION, "durationRange");
        ArgSpec<T> c = copy();
        c.minDuration = least;
        c.maxDuration = most;
        return c;
    }

    /**
     * For strings and string lists (each item): the regular expression the whole value must match, published as
     * the schema's {@code pattern}. Write it in the common subset of ECMA 262 and RE2 (no lookaround, no
     * backreferences): clients and gateways in other languages compile it; negative rules go to {@link #reject}.
     */
    public ArgSpec<T> pattern(String regex) {
        ArgSpec<T> c = copy();
        c.pattern = Pattern.compile(regex);
        c.schemaPattern = null;
        return c;
    }

    /**
     * For strings: publish {@code regex} instead of the {@link #pattern} that {@link #read} enforces, when the
     * enforced one is long and a short one tells the model enough (every model reads every schema on every turn).
     * {@code regex} must accept every value the enforced pattern accepts; the reader's error then states the rule.
     */
    public ArgSpec<T> schemaPattern(String regex) {
        if (pattern == null) {
            throw new IllegalStateException(name + ": schemaPattern needs a pattern to stand in for");
        }
        Pattern.compile(regex);
        ArgSpec<T> c = copy();
        c.schemaPattern = regex;
        return c;
    }

    /**
     * For strings and string lists (each item): a value in which {@code regex} is found is refused with
     * {@code "<name>: <rule>"}. For rules a portable {@code pattern} cannot say (JSON Schema patterns are compiled by
     * RE2-style engines without lookaround), such as "must not start with '-'"; they are checked by {@link #read}
     * only, not published.
     */
    public ArgSpec<T> reject(String regex, String rule) {
        ArgSpec<T> c = copy();
        List<Rejection> all = new ArrayList<>(rejections);
        all.add(new Rejection(Pattern.compile(regex), Objects.requireNonNull(rule, "rule")));
        c.rejections = List.copyOf(all);
        return c;
    }

    /** A rule {@link #reject} adds: a value in which {@code find} is found breaks {@code rule}. */
    private record Rejection(Pattern find, String rule) {}

    /** For strings and string lists (each item): the longest accepted value, in characters. */
    public ArgSpec<T> maxLength(int length) {
        ArgSpec<T> c = copy();
        c.maxLength = length;
        return c;
    }

    /** For strings: at least one character. */
    public ArgSpec<T> nonEmpty() {
        ArgSpec<T> c = copy();
        c.minLength = 1;
        return c;
    }

    /** For integers and numbers: the inclusive bounds. */
    public ArgSpec<T> range(long least, long most) {
        ArgSpec<T> c = copy();
        c.min = least;
        c.max = most;
        return c;
    }

    /** For integers and numbers: the inclusive lower bound only. */
    public ArgSpec<T> atLeast(long least) {
        ArgSpec<T> c = copy();
        c.min = least;
        c.max = null;
        return c;
    }

    /** For string lists: the most items accepted. */
    public ArgSpec<T> maxItems(int most) {
        ArgSpec<T> c = copy();
        c.maxItems = most;
        return c;
    }

    // ---- accessors ------------------------------------------------------------------------------------------

    /** The argument's name in the arguments object. */
    public String name() {
        return name;
    }

    public boolean isRequired() {
        return required;
    }

    /** The JSON-Schema property of this argument, in {@link JsonSchemas}' keyword order. */
    public ObjectNode schema() {
        ObjectNode s = JSON.objectNode();
        switch (kind) {
            case STRING, SINCE, DURATION -> {
                s.put("type", "string");
                describe(s);
                if (minLength > 0) {
                    s.put("minLength", minLength);
                }
                if (maxLength > 0) {
                    s.put("maxLength", maxLength);
                }
                if (pattern != null) {
                    s.put("pattern", publishedPattern());
                }
            }
            case INTEGER, LONG, NUMBER -> {
                s.put("type", kind == Kind.NUMBER ? "number" : "integer");
                describe(s);
                if (min != null) {
                    s.put("minimum", min);
                }
                if (max != null) {
                    s.put("maximum", max);
                }
            }
            case BOOLEAN -> {
                s.put("type", "boolean");
                describe(s);
            }
            case ENUM -> {
                s.put("type", "string");
                describe(s);
                ArrayNode e = s.putArray("enum");
                values.forEach(e::add);
            }
            case STRING_LIST -> {
                s.put("type", "array");
                describe(s);
                ObjectNode items = s.putObject("items");
                items.put("type", "string");
                if (maxLength > 0) {
                    items.put("maxLength", maxLength);
                }
                if (pattern != null) {
                    items.put("pattern", publishedPattern());
                }
                if (maxItems != null) {
                    s.put("maxItems", maxItems);
                }
            }
            case JSON -> {
                s.setAll(rawSchema.deepCopy());
                if (description != null && !s.has("description")) {
                    s.put("description", description);
                }
            }
        }
        putDefault(s);
        return s;
    }

    private String publishedPattern() {
        return schemaPattern != null ? schemaPattern : pattern.pattern();
    }

    private void describe(ObjectNode s) {
        if (kind == Kind.SINCE) {
            // one wording of the since grammar everywhere; a tool's own text says what the point bounds
            s.put("description", (description == null ? "" : description + " ") + Durations.SINCE_WORDING);
        } else if (description != null) {
            s.put("description", description);
        }
    }

    private void putDefault(ObjectNode s) {
        if (required || kind == Kind.JSON) {
            return;
        }
        if (fallbackText != null) {
            s.put("default", fallbackText);
        } else if (fallback instanceof Integer i) {
            s.put("default", i);
        } else if (fallback instanceof Long l) {
            s.put("default", l);
        } else if (fallback instanceof Double d) {
            s.put("default", d);
        } else if (fallback instanceof Boolean b) {
            s.put("default", b);
        } else if (fallback instanceof Enum<?> e) {
            s.put("default", wireName(e));
        } else if (fallback instanceof Duration d) {
            s.put("default", Durations.format(d));
        } else if (fallback instanceof String str) {
            s.put("default", str);
        }
    }

    /**
     * A tool's input schema from its arguments: a closed object (a misspelt argument is an error) listing the
     * required ones in declaration order.
     *
     * @throws IllegalArgumentException when two specs share a name
     */
    public static ObjectNode schema(ArgSpec<?>... specs) {
        return schema(Arrays.asList(specs));
    }

    /** {@link #schema(ArgSpec[])} for a list. */
    public static ObjectNode schema(List<ArgSpec<?>> specs) {
        ObjectNode properties = JsonSchemas.properties();
        List<String> required = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ArgSpec<?> spec : specs) {
            if (!seen.add(spec.name)) {
                throw new IllegalArgumentException("argument " + spec.name + " declared twice");
            }
            properties.set(spec.name, spec.schema());
            if (spec.required) {
                required.add(spec.name);
            }
        }
        return JsonSchemas.input(properties, required.toArray(String[]::new));
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /**
     * Reads the argument.
     *
     * @return the value; the default when absent (or JSON {@code null}); {@code null} when absent, optional and
     *         without default
     * @throws ToolException {@code INVALID_ARGUMENT}, message {@code "<name>: <rule>"}, when the value breaks a rule
     *                       or a required argument is missing
     */
    public T read(ObjectNode args) {
        return read(args, Instant.now());
    }

    /** {@link #read(ObjectNode)} with "now" given, for {@link #since} arguments under a test clock. */
    @SuppressWarnings("unchecked")
    public T read(ObjectNode args, Instant now) {
        JsonNode node = args == null ? null : args.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid("is required");
            }
            if (defaultAgo != null) {
                return (T) clampAge(now.minus(defaultAgo), now);
            }
            return fallback;
        }
        return (T)
                switch (kind) {
                    case STRING -> readString(node);
                    case INTEGER -> readInteger(node);
                    case LONG -> readLong(node);
                    case NUMBER -> readNumber(node);
                    case BOOLEAN -> {
                        if (!node.isBoolean()) {
                            throw invalid("must be true or false");
                        }
                        yield node.booleanValue();
                    }
                    case ENUM -> readEnum(node);
                    case STRING_LIST -> readList(node);
                    case SINCE -> {
                        String text = readString(node);
                        try {
                            yield clampAge(Durations.since(name, text, now), now);
                        } catch (IllegalArgumentException e) {
                            throw new ToolException(ToolException.Kind.INVALID_ARGUMENT, e.getMessage());
                        }
                    }
                    case DURATION -> readDuration(node);
                    case JSON -> node;
                };
    }

    /** {@link #read}, empty when the argument is absent and has no default. */
    public Optional<T> readOptional(ObjectNode args) {
        return Optional.ofNullable(read(args));
    }

    /** Whether the caller gave the argument (not absent, not {@code null}). */
    public boolean isPresent(ObjectNode args) {
        JsonNode node = args == null ? null : args.get(name);
        return node != null && !node.isNull();
    }

    private String readString(JsonNode node) {
        if (!node.isString()) {
            throw invalid("must be a string");
        }
        return checkString(node.asString(), name);
    }

    private String checkString(String value, String at) {
        if (minLength > 0 && value.isEmpty()) {
            throw invalid(at, "must not be empty");
        }
        if (maxLength > 0 && value.length() > maxLength) {
            throw invalid(at, "must be at most " + maxLength + " characters");
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            throw invalid(
                    at,
                    kind == Kind.SINCE || kind == Kind.DURATION ? grammarRule() : "must match " + pattern.pattern());
        }
        for (Rejection r : rejections) {
            if (r.find().matcher(value).find()) {
                throw invalid(at, r.rule());
            }
        }
        return value;
    }

    private String grammarRule() {
        return kind == Kind.SINCE
                ? "must be " + Durations.GRAMMAR + ", an RFC 3339 time or a date"
                : "must be " + Durations.GRAMMAR;
    }

    private Integer readInteger(JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid("must be an integer" + bounds());
        }
        long v = node.longValue();
        if ((min != null && v < min) || (max != null && v > max) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw invalid("must be" + (bounds().isEmpty() ? " an int" : bounds()));
        }
        return (int) v;
    }

    private Long readLong(JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid("must be an integer" + bounds());
        }
        long v = node.longValue();
        if ((min != null && v < min) || (max != null && v > max)) {
            throw invalid("must be" + bounds());
        }
        return v;
    }

    private Double readNumber(JsonNode node) {
        if (!node.isNumber()) {
            throw invalid("must be a number" + bounds());
        }
        double v = node.doubleValue();
        if (Double.isNaN(v) || (min != null && v < min) || (max != null && v > max)) {
            throw invalid("must be" + (bounds().isEmpty() ? " a number" : bounds()));
        }
        return v;
    }

    private String bounds() {
        if (min != null && max != null) {
            return " " + min + ".." + max;
        }
        if (min != null) {
            return " >= " + min;
        }
        return max != null ? " <= " + max : "";
    }

    private Object readEnum(JsonNode node) {
        if (!node.isString() || !values.contains(node.asString())) {
            throw invalid("must be one of " + String.join(", ", values));
        }
        String wire = node.asString();
        if (enumType == null) {
            return wire;
        }
        for (Enum<?> constant : enumType.getEnumConstants()) {
            if (wireName(constant).equals(wire)) {
                return constant;
            }
        }
        throw new IllegalStateException("unreachable: " + wire);
    }

    private List<String> readList(JsonNode node) {
        if (!node.isArray()) {
            throw invalid("must be an array of strings");
        }
        if (maxItems != null && node.size() > maxItems) {
            throw invalid("must have at most " + maxItems + " items");
        }
        List<String> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = name + "[" + i + "]";
            if (!item.isString()) {
                throw invalid(at, "must be a string");
            }
            out.add(checkString(item.asString(), at));
        }
        return List.copyOf(out);
    }

    private Duration readDuration(JsonNode node) {
        String text = readString(node);
        Duration d;
        try {
            d = Durations.parse(name, text);
        } catch (IllegalArgumentException e) {
            throw new ToolException(ToolException.Kind.INVALID_ARGUMENT, e.getMessage());
        }
        if ((minDuration != null && d.compareTo(minDuration) < 0)
                || (maxDuration != null && d.compareTo(maxDuration) > 0)) {
            throw invalid(
                    "must be between " + Durations.format(minDuration == null ? Duration.ofSeconds(1) : minDuration)
                            + " and " + (maxDuration == null ? "any length" : Durations.format(maxDuration)));
        }
        return d;
    }

    private Instant clampAge(Instant at, Instant now) {
        if (maxAge == null) {
            return at;
        }
        Instant oldest = now.minus(maxAge);
        return at.isBefore(oldest) ? oldest : at;
    }

    private void requireKind(Kind expected, String method) {
        if (kind != expected) {
            throw new IllegalStateException(
                    method + " applies to " + expected.name().toLowerCase(Locale.ROOT) + " arguments, not to " + name);
        }
    }

    private ToolException invalid(String rule) {
        return invalid(name, rule);
    }

    private static ToolException invalid(String at, String rule) {
        return new ToolException(ToolException.Kind.INVALID_ARGUMENT, at + ": " + rule);
    }

    /** The wire value of an enum constant (see {@link #enumeration}). */
    public static String wireName(Enum<?> constant) {
        return constant instanceof Wire w ? w.wireName() : constant.name().toLowerCase(Locale.ROOT);
    }

    /** Implemented by enums whose wire values are not their lower-case names. */
    public interface Wire {
        String wireName();
    }

    @Override
    public String toString() {
        return "ArgSpec[" + name + ", " + kind.name().toLowerCase(Locale.ROOT) + (required ? ", required" : "") + "]";
    }
}
