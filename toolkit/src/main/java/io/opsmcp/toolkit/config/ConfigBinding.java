package io.opsmcp.toolkit.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binds a section of {@code ops-mcp.yaml} to a record, rejecting what the record does not declare. A misspelt key
 * ({@code toolset:} for {@code toolsets:}) is an error naming the key and the valid ones instead of a setting
 * silently ignored. Keys are snake_case ({@code timeout_seconds} → component {@code timeoutSeconds}); records
 * check their own rules in compact constructors and throw {@link IllegalArgumentException} with a message
 * {@code "<key>: <rule>"}, which is reported with the full path.
 *
 * <p>Errors, all {@link IllegalArgumentException}s:
 * <ul>
 *   <li>{@code host_changes.exec.timout_seconds: unknown setting; valid: enabled, max_output_bytes, timeout_seconds}</li>
 *   <li>{@code host_changes.sudo: must be a boolean (true or false), not "yes"}</li>
 *   <li>{@code host_changes.exec.timeout_seconds: must be 1..3600} (from the record)</li>
 * </ul>
 */
public final class ConfigBinding {

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    // Built once; Jackson mappers are immutable and thread-safe.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private ConfigBinding() {}

    /**
     * Binds {@code section} to {@code type}.
     *
     * @param section the YAML/JSON node of the section; {@code null} or missing binds an empty mapping (so
     *                records apply their defaults)
     * @param path    where the section sits, for messages ({@code "host_changes"}, {@code "aws"})
     * @throws IllegalArgumentException naming the full path of the offending key and the rule it breaks
     */
    public static <R> R bind(JsonNode section, String path, Class<R> type) {
        JsonNode node =
                section == null || section.isMissingNode() || section.isNull() ? MAPPER.createObjectNode() : section;
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + ": must be a mapping");
        }
        // Unknown keys first, over the whole tree: Jackson would report a record's missing required component (from
        // its constructor) before the misspelt key that caused it ("address: is required" for "adress").
        rejectUnknownKeys(node, type, path);
        try {
            return MAPPER.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(
                    at(path, e) + ": unknown setting; valid: " + names(e.getKnownPropertyIds()));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof IllegalArgumentException iae && iae.getMessage() != null
                    ? iae.getMessage()
                    : "is invalid";
            String where = at(path, e);
            throw new IllegalArgumentException(where + (message.contains(": ") ? "." + message : ": " + message));
        } catch (InvalidFormatException e) {
            throw new IllegalArgumentException(
                    at(path, e) + ": must be " + expected(e.getTargetType()) + ", not " + shown(e.getValue()));
        } catch (MismatchedInputException e) {
            throw new IllegalArgumentException(at(path, e) + ": must be " + expected(e.getTargetType()));
        } catch (DatabindException e) {
            throw new IllegalArgumentException(at(path, e) + ": " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(path + ": " + e.getOriginalMessage());
        }
    }

    private static void rejectUnknownKeys(JsonNode node, Type type, String path) {
        if (node == null || node.isNull()) {
            return;
        }
        Class<?> raw = type instanceof ParameterizedType pt
                ? (Class<?>) pt.getRawType()
                : type instanceof Class<?> c ? c : null;
        if (raw == null) {
            return;
        }
        if (raw.isRecord() && node.isObject()) {
            Map<String, Type> components = new LinkedHashMap<>();
            for (RecordComponent rc : raw.getRecordComponents()) {
                JsonProperty renamed = rc.getAccessor().getAnnotation(JsonProperty.class);
                if (renamed == null) {
                    renamed = rc.getAnnotation(JsonProperty.class);
                }
                String key = renamed != null && !renamed.value().isEmpty()
                        ? renamed.value()
                        : SNAKE.nameForField(null, null, rc.getName());
                components.put(key, rc.getGenericType());
            }
            for (String key : node.propertyNames()) {
                if (!components.containsKey(key)) {
                    throw new IllegalArgumentException(path + "." + key + ": unknown setting; valid: "
                            + String.join(", ", new TreeSet<>(components.keySet())));
                }
                rejectUnknownKeys(node.get(key), components.get(key), path + "." + key);
            }
        } else if (type instanceof ParameterizedType pt && Collection.class.isAssignableFrom(raw) && node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectUnknownKeys(node.get(i), pt.getActualTypeArguments()[0], path + "[" + i + "]");
            }
        } else if (type instanceof ParameterizedType pt && Map.class.isAssignableFrom(raw) && node.isObject()) {
            for (String key : node.propertyNames()) {
                rejectUnknownKeys(node.get(key), pt.getActualTypeArguments()[1], path + "." + key);
            }
        }
    }

    private static String at(String path, DatabindException e) {
        StringBuilder sb = new StringBuilder(path);
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                sb.append('.').append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String names(Collection<Object> known) {
        if (known == null || known.isEmpty()) {
            return "(none)";
        }
        TreeSet<String> sorted = new TreeSet<>();
        known.forEach(k -> sorted.add(String.valueOf(k)));
        return String.join(", ", sorted);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean (true or false)";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            List<String> values = new java.util.ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                values.add(((Enum<?>) c).name().toLowerCase(java.util.Locale.ROOT));
            }
            return "one of " + String.join(", ", values);
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type.isRecord() || java.util.Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        return "a " + type.getSimpleName();
    }

    private static String shown(Object value) {
        String s = String.valueOf(value);
        // configuration values may be secrets: show the shape, never more than a short prefix
        return value instanceof String ? "\"" + (s.length() > 12 ? s.substring(0, 12) + "…" : s) + "\"" : s;
    }
}
