package io.opsmcp.server.mcp;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP SDK's JSON Schema validation, made on its first use instead of while the {@code McpServer} is built, and
 * with the structured-output check of every {@code tools/call} made cheap.
 *
 * <p>{@link #validateSchema} (a tool's or an elicitation form's schema against the 2020-12 metaschema) is the SDK's
 * default validator ({@code DefaultJsonSchemaValidator}, networknt: ~250 classes and a metaschema to load); its
 * builder checks every tool's input and output schema with it, and that check alone made a stdio server load it
 * before it answered {@code initialize}. Until {@link #definitionsChecked()} is called, it accepts every schema without
 * making the validator: the definitions a server is built with are this server's own (toolset code; the host
 * catalog's parameters are typed by it), and {@code ShippedToolsetsTest} checks each of them with the SDK's validator.
 * After it, every schema goes to the SDK's validator, as without this class.
 *
 * <p>{@link #validate} (a result's structured content against the tool's {@code outputSchema}) judges as the SDK's
 * does (the same networknt registry: 2020-12 as the default dialect; the same messages), with three differences
 * in cost, not in verdict: the compiled schema is found by the identity of the schema map (the SDK hashes the whole
 * schema map on every call to make its key, and two different schemas with equal hash codes shared one compiled
 * schema there); content that already is a {@link JsonNode} is validated as it is (the SDK converts it); and a valid
 * result's text ({@code jsonStructuredOutput}) is not printed: the SDK reads it only for a result without content,
 * and every result this server builds has a text block ({@link GatewayToolAdapter}).
 */
public final class LazyJsonSchemaValidator implements JsonSchemaValidator {

    /** Compiled schemas kept: tools' output schemas are one map each for the server's life; more are compiled anew. */
    static final int MAX_CACHED = 256;

    private final Supplier<JsonSchemaValidator> factory;
    private volatile JsonSchemaValidator delegate;
    private volatile SchemaRegistry registry;
    /** Schema map (by identity) to its compiled schema; replaced whole on every addition, read without a lock. */
    private volatile Map<Map<String, Object>, Schema> compiled = new IdentityHashMap<>();

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
     * with an {@code outputSchema} does not wait for its classes; a stdio server calls this once its first answer is
     * out.
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

    /**
     * Whether {@code structuredContent} (a {@link JsonNode}, a JSON text, or maps, lists and scalars) matches
     * {@code schema}; an invalid answer's message lists the violations as the SDK's validator words them.
     *
     * @throws IllegalArgumentException when either is {@code null} (as the SDK's validator)
     */
    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        if (schema == null) {
            throw new IllegalArgumentException("Schema must not be null");
        }
        if (structuredContent == null) {
            throw new IllegalArgumentException("Structured content must not be null");
        }
        try {
            JsonNode content = structuredContent instanceof JsonNode node
                    ? node
                    : structuredContent instanceof String text
                            ? JsonMapper.shared().readTree(text)
                            : JsonMapper.shared().valueToTree(structuredContent);
            List<com.networknt.schema.Error> errors = compiled(schema).validate(content);
            return errors.isEmpty()
                    ? ValidationResponse.asValid(null)
                    : ValidationResponse.asInvalid("Validation failed: JSON schema validation errors: " + errors);
        } catch (JacksonException e) {
            return ValidationResponse.asInvalid("Error parsing tool JSON Schema: " + e.getMessage());
        } catch (Exception e) {
            return ValidationResponse.asInvalid("Unexpected validation error: " + e.getMessage());
        }
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        if (!definitionsChecked) {
            return ValidationResponse.asValid(null);
        }
        return delegate().validateSchema(schema);
    }

    private Schema compiled(Map<String, Object> schema) {
        Schema known = compiled.get(schema);
        if (known != null) {
            return known;
        }
        Schema made = registry().getSchema(JsonMapper.shared().<JsonNode>valueToTree(schema));
        synchronized (this) {
            Map<Map<String, Object>, Schema> current = compiled;
            if (current.size() < MAX_CACHED && !current.containsKey(schema)) {
                Map<Map<String, Object>, Schema> next = new IdentityHashMap<>(current);
                next.put(schema, made);
                compiled = next;
            }
        }
        return made;
    }

    /** The SDK validator's registry: 2020-12 as the default dialect. */
    private SchemaRegistry registry() {
        SchemaRegistry r = registry;
        if (r == null) {
            r = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());
            registry = r; // a registry made twice by a race is equal to the other
        }
        return r;
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
