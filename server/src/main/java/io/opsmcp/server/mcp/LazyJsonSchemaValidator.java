package io.opsmcp.server.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The MCP SDK's JSON Schema validator, made on its first use instead of while the {@code McpServer} is built. The
 * SDK's default ({@code DefaultJsonSchemaValidator}, networknt: ~250 classes and a metaschema to load) checks a tool's
 * structured output against its {@code outputSchema} and an elicitation form's schema against the 2020-12
 * metaschema; its builder also checks every tool's input and output schema against the metaschema, and that check
 * alone made a stdio server load it before it answered {@code initialize}.
 *
 * <p>Until {@link #definitionsChecked()} is called, {@link #validateSchema} accepts every schema without making the
 * validator: the definitions a server is built with are this server's own (toolset code; the host catalog's
 * parameters are typed by it), and {@code ShippedToolsetsTest} checks each of them with the SDK's validator. After
 * it, every call goes to the SDK's validator, as without this class.
 */
public final class LazyJsonSchemaValidator implements JsonSchemaValidator {

    private final Supplier<JsonSchemaValidator> factory;
    private volatile JsonSchemaValidator delegate;
    private volatile boolean definitionsChecked;

    /** The SDK's default validator ({@link McpJsonDefaults#getSchemaValidator()}), made on first use. */
    public LazyJsonSchemaValidator() {
        this(McpJsonDefaults::getSchemaValidator);
    }

    LazyJsonSchemaValidator(Supplier<JsonSchemaValidator> factory) {
        this.factory = factory;
    }

    /**
     * Makes the SDK's validator (which every instance shares) on a daemon thread, so that the first call of a tool
     * with an {@code outputSchema} does not wait for it; a stdio server calls this once its first answer is out.
     */
    public static void prepareInBackground() {
        Thread prepare = new Thread(McpJsonDefaults::getSchemaValidator, "mcp-schema-validator");
        prepare.setDaemon(true);
        prepare.start();
    }

    /** Called once the server is built: from now on schemas are checked by the SDK's validator. */
    public void definitionsChecked() {
        definitionsChecked = true;
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        return delegate().validate(schema, structuredContent);
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        if (!definitionsChecked) {
            return ValidationResponse.asValid(null);
        }
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
