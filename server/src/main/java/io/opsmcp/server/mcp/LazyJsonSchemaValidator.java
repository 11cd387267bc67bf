package io.opsmcp.server.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The MCP SDK's JSON Schema validator (it checks a tool's structured output against its {@code outputSchema}), made
 * on its first use instead of when the {@code McpServer} is built: the SDK's default, {@code
 * DefaultJsonSchemaValidator}, builds a networknt schema registry in its constructor (~250 classes), which a stdio
 * server would otherwise load before it answers {@code initialize}. Same validator, same answers; only when it is
 * made differs.
 */
public final class LazyJsonSchemaValidator implements JsonSchemaValidator {

    private final Supplier<JsonSchemaValidator> factory;
    private volatile JsonSchemaValidator delegate;

    /** The SDK's default validator ({@link McpJsonDefaults#getSchemaValidator()}), made on first use. */
    public LazyJsonSchemaValidator() {
        this(McpJsonDefaults::getSchemaValidator);
    }

    LazyJsonSchemaValidator(Supplier<JsonSchemaValidator> factory) {
        this.factory = factory;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        return delegate().validate(schema, structuredContent);
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        return delegate().validateSchema(schema);
    }

    private JsonSchemaValidator delegate() {
        JsonSchemaValidator d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    d = factory.get();
                    delegate = d;
                }
            }
        }
        return d;
    }
}
