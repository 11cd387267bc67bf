package io.opsmcp.toolkit.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Validates tool arguments against the tool's input JSON Schema (draft 2020-12, networknt
 * json-schema-validator) and turns violations into messages that name the argument and the rule, e.g.
 * {@code unit: does not match the regex pattern ^[A-Za-z0-9@._:-]+$ (rule: pattern)}. The gateway validates every
 * call with it, and {@code toolkit-testing}'s harness validates test calls with the same class.
 */
public final class ArgumentValidator {

    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    /** Registered but not yet compiled schemas (a {@link #deferred()} validator). */
    private final Map<String, JsonNode> pending = new ConcurrentHashMap<>();

    private final boolean deferred;
    private volatile SchemaRegistry registry;

    /** Compiles each schema when it is registered. */
    public ArgumentValidator() {
        this(false);
    }

    private ArgumentValidator(boolean deferred) {
        this.deferred = deferred;
    }

    /**
     * A validator that compiles each schema on its first {@link #validate} or at {@link #compileAll()}, not at
     * {@link #register}: the stdio server answers {@code initialize} without loading the schema library (~250
     * classes) and compiles the schemas in the background. An invalid schema then fails the calls of its tool
     * ({@link IllegalArgumentException} from {@code validate}) instead of the start.
     */
    public static ArgumentValidator deferred() {
        return new ArgumentValidator(true);
    }

    /**
     * Keeps a tool's schema, compiled at once unless the validator is {@link #deferred()}; called once per tool at
     * start.
     *
     * @throws IllegalArgumentException when the schema itself is invalid (compiled at once only)
     */
    public void register(String tool, JsonNode inputSchema) {
        if (deferred) {
            schemas.remove(tool);
            pending.put(tool, inputSchema);
        } else {
            schemas.put(tool, compile(tool, inputSchema));
        }
    }

    /**
     * Compiles every schema registered so far that is not compiled yet.
     *
     * @throws IllegalArgumentException for the first invalid schema
     */
    public void compileAll() {
        compileAll(() -> false);
    }

    /**
     * Compiles the schemas registered so far that are not compiled yet, one at a time, until {@code stop} says so
     * (asked before each): a background compilation that gives the cores back to a call that has begun. The rest
     * are compiled by their tools' first calls.
     *
     * @return whether every schema is compiled
     * @throws IllegalArgumentException for the first invalid schema
     */
    public boolean compileAll(java.util.function.BooleanSupplier stop) {
        for (String tool : List.copyOf(pending.keySet())) {
            if (stop.getAsBoolean()) {
                return false;
            }
            schema(tool);
        }
        return true;
    }

    /**
     * Returns one message per violation, empty when the arguments are valid.
     *
     * @throws IllegalArgumentException when the tool's schema, compiled now, is invalid
     */
    public List<String> validate(String tool, JsonNode args) {
        Schema schema = schema(tool);
        List<String> messages = new ArrayList<>();
        for (Error error : schema.validate(args)) {
            messages.add(describe(error));
        }
        return messages;
    }

    private Schema schema(String tool) {
        Schema schema = schemas.get(tool);
        if (schema != null) {
            return schema;
        }
        JsonNode source = pending.get(tool);
        if (source == null) {
            throw new IllegalStateException("no schema registered for tool " + tool);
        }
        return schemas.computeIfAbsent(tool, t -> compile(t, source));
    }

    private Schema compile(String tool, JsonNode inputSchema) {
        try {
            return registry().getSchema(inputSchema);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tool " + tool + ": invalid input schema: " + e.getMessage(), e);
        }
    }

    private SchemaRegistry registry() {
        SchemaRegistry r = registry;
        if (r == null) {
            synchronized (this) {
                r = registry;
                if (r == null) {
                    r = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
                    registry = r;
                }
            }
        }
        return r;
    }

    private static String describe(Error error) {
        String location = error.getInstanceLocation().toString();
        String field = location.equals("$") ? "" : location.startsWith("$.") ? location.substring(2) : location;
        String keyword = error.getKeyword();
        String message = error.getMessage();
        // networknt prefixes messages with the instance location; we print the field name our own way.
        if (message.startsWith(location + ": ")) {
            message = message.substring(location.length() + 2);
        }
        if ("required".equals(keyword) && error.getProperty() != null) {
            return join(field, error.getProperty()) + ": is required (rule: required)";
        }
        if ("additionalProperties".equals(keyword) && error.getProperty() != null) {
            return join(field, error.getProperty()) + ": is not a parameter of this tool (rule: additionalProperties)";
        }
        return (field.isEmpty() ? "arguments" : field) + ": " + message
                + (keyword == null ? "" : " (rule: " + keyword + ")");
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }
}
