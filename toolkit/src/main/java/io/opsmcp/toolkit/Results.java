package io.opsmcp.toolkit;

import io.opsmcp.core.tool.ToolResult;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns result records into JSON at the edge. Tools compute with records and enums and hand each other typed
 * values; only the {@link ToolResult} a client receives is JSON. Record components are written in snake_case
 * ({@code desiredCount} → {@code desired_count}), {@code null} components are left out, {@link java.time.Instant}s
 * are RFC 3339 strings, and enums are written as {@link ArgSpec#wireName} (lower-case names unless the enum
 * implements {@link ArgSpec.Wire}), the same values tools accept as arguments.
 */
public final class Results {

    // Immutable after construction and thread-safe: Jackson mappers are built once and shared.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(
                    incl -> incl.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
            .addModule(new SimpleModule("ops-mcp-enums").addSerializer(Enum.class, new EnumSerializer()))
            .build();

    /** Every enum as its {@link ArgSpec#wireName} (lower case unless it says otherwise): one wire style. */
    @SuppressWarnings("rawtypes")
    private static final class EnumSerializer extends ValueSerializer<Enum> {
        @Override
        public void serialize(Enum value, JsonGenerator gen, SerializationContext ctx) {
            gen.writeString(ArgSpec.wireName(value));
        }
    }

    private Results() {}

    /** The JSON of a record (or list, map, scalar). */
    public static JsonNode json(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * The JSON object of a record.
     *
     * @throws IllegalArgumentException when the value does not serialize to an object
     */
    public static ObjectNode object(Object record) {
        JsonNode node = json(record);
        if (!node.isObject()) {
            throw new IllegalArgumentException(record.getClass().getSimpleName() + " is not a JSON object");
        }
        return (ObjectNode) node;
    }

    /** A successful result: the text the model reads and the record as structured content. */
    public static ToolResult ok(String text, Object record) {
        return ToolResult.ok(text, object(record));
    }
}
