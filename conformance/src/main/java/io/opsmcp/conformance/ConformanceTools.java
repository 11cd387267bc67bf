package io.opsmcp.conformance;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance suite's fixture tools ({@code test_*}, see the scenario descriptions printed by
 * {@code npx @modelcontextprotocol/conformance list} and its README). Each exercises one piece of protocol
 * handling: content types, tool errors, log and progress notifications during a call, and server-to-client
 * requests (sampling, elicitation) made while a call is in flight.
 */
final class ConformanceTools {

    /** Pause between the notifications of one call, so they arrive as separate events (suite: "~50ms"). */
    private static final long STEP_MILLIS = 50;

    private final String png = TestMedia.redPixelPngBase64();
    private final String wav = TestMedia.silentWavBase64();

    List<SyncToolSpecification> specifications() {
        return List.of(
                tool(
                        "test_simple_text",
                        "Returns one text item.",
                        noArgs(),
                        (ex, req) -> text("This is a simple text response for testing.")),
                tool(
                        "test_image_content",
                        "Returns one PNG image item (1x1 red pixel).",
                        noArgs(),
                        (ex, req) -> result(new McpSchema.ImageContent(null, png, TestMedia.PNG_MIME))),
                tool(
                        "test_audio_content",
                        "Returns one WAV audio item (10 ms of silence).",
                        noArgs(),
                        (ex, req) -> result(new McpSchema.AudioContent(null, wav, TestMedia.WAV_MIME))),
                tool(
                        "test_embedded_resource",
                        "Returns one embedded text resource.",
                        noArgs(),
                        (ex, req) -> result(new McpSchema.EmbeddedResource(
                                null,
                                new McpSchema.TextResourceContents(
                                        "test://embedded-resource",
                                        "text/plain",
                                        "This is an embedded resource content.")))),
                tool(
                        "test_multiple_content_types",
                        "Returns text, an image and an embedded JSON resource.",
                        noArgs(),
                        (ex, req) -> CallToolResult.builder()
                                .addTextContent("Multiple content types test:")
                                .addContent(new McpSchema.ImageContent(null, png, TestMedia.PNG_MIME))
                                .addContent(new McpSchema.EmbeddedResource(
                                        null,
                                        new McpSchema.TextResourceContents(
                                                "test://mixed-content-resource",
                                                "application/json",
                                                "{\"test\":\"data\",\"value\":123}")))
                                .build()),
                tool(
                        "test_tool_with_logging",
                        "Sends three info log notifications while it runs.",
                        noArgs(),
                        this::withLogging),
                tool(
                        "test_error_handling",
                        "Always fails with isError: true.",
                        noArgs(),
                        (ex, req) -> error("This tool intentionally returns an error for testing")),
                tool(
                        "test_tool_with_progress",
                        "Reports progress 0, 50 and 100 of 100 when given a progress token.",
                        noArgs(),
                        this::withProgress),
                tool(
                        "test_sampling",
                        "Asks the client's model to answer a prompt (sampling/createMessage).",
                        stringArgs(Map.of("prompt", "The prompt to send to the LLM")),
                        this::sampling),
                tool(
                        "test_elicitation",
                        "Asks the user for a username and email (elicitation/create).",
                        stringArgs(Map.of("message", "The message to show the user")),
                        this::elicitation),
                tool(
                        "test_elicitation_sep1034_defaults",
                        "Elicits a form whose fields carry default values of every primitive type (SEP-1034).",
                        noArgs(),
                        (ex, req) -> elicit(ex, FixtureSchemas.MESSAGE_DEFAULTS, FixtureSchemas.withDefaults())),
                tool(
                        "test_elicitation_sep1330_enums",
                        "Elicits a form with every enum variant: titled/untitled, single/multi select (SEP-1330).",
                        noArgs(),
                        (ex, req) -> elicit(ex, FixtureSchemas.MESSAGE_ENUMS, FixtureSchemas.enumVariants())),
                tool(
                        "test_reconnection",
                        "For the SSE polling scenario (SEP-1699): answers on the request's stream, which the server"
                                + " opens with a priming event (id, retry, empty data).",
                        noArgs(),
                        (ex, req) -> text("Reconnection test completed successfully")),
                tool(
                        "json_schema_2020_12_tool",
                        "Tool with JSON Schema 2020-12 features ($schema, $defs, $ref).",
                        FixtureSchemas.jsonSchema202012(),
                        (ex, req) -> text("ok")));
    }

    private CallToolResult withLogging(McpSyncServerExchange exchange, CallToolRequest request) {
        String[] steps = {"Tool execution started", "Tool processing data", "Tool execution completed"};
        for (int i = 0; i < steps.length; i++) {
            if (i > 0) {
                pause();
            }
            exchange.loggingNotification(
                    new McpSchema.LoggingMessageNotification(McpSchema.LoggingLevel.INFO, request.name(), steps[i]));
        }
        return text("Tool with logging executed successfully");
    }

    private CallToolResult withProgress(McpSyncServerExchange exchange, CallToolRequest request) {
        Object token = request.progressToken();
        double[] steps = {0, 50, 100};
        for (int i = 0; i < steps.length; i++) {
            if (i > 0) {
                pause();
            }
            if (token != null) {
                exchange.progressNotification(new McpSchema.ProgressNotification(
                        token, steps[i], 100.0, "step " + (i + 1) + " of " + steps.length));
            }
        }
        return text("Tool with progress executed successfully");
    }

    private CallToolResult sampling(McpSyncServerExchange exchange, CallToolRequest request) {
        String prompt = stringArgument(request, "prompt");
        if (prompt == null) {
            return error("prompt: required string argument is missing");
        }
        if (exchange.getClientCapabilities() == null
                || exchange.getClientCapabilities().sampling() == null) {
            return error("sampling: the client did not declare the sampling capability");
        }
        McpSchema.CreateMessageResult answer = exchange.createMessage(McpSchema.CreateMessageRequest.builder(
                        List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER, new McpSchema.TextContent(prompt))),
                        100)
                .build());
        String reply =
                answer.content() instanceof McpSchema.TextContent t ? t.text() : String.valueOf(answer.content());
        return text("LLM response: " + reply);
    }

    private CallToolResult elicitation(McpSyncServerExchange exchange, CallToolRequest request) {
        String message = stringArgument(request, "message");
        if (message == null) {
            return error("message: required string argument is missing");
        }
        return elicit(exchange, message, FixtureSchemas.usernameAndEmail());
    }

    private static CallToolResult elicit(McpSyncServerExchange exchange, String message, Map<String, Object> schema) {
        if (exchange.getClientCapabilities() == null
                || exchange.getClientCapabilities().elicitation() == null) {
            return error("elicitation: the client did not declare the elicitation capability");
        }
        McpSchema.ElicitResult answer = exchange.createElicitation(
                McpSchema.ElicitFormRequest.builder(message, schema).build());
        return text("Elicitation completed: action=" + answer.action().name().toLowerCase() + ", content="
                + answer.content());
    }

    private static String stringArgument(CallToolRequest request, String name) {
        Object value = request.arguments() == null ? null : request.arguments().get(name);
        return value instanceof String s ? s : null;
    }

    private static void pause() {
        try {
            Thread.sleep(STEP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static SyncToolSpecification tool(
            String name,
            String description,
            Map<String, Object> inputSchema,
            java.util.function.BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
        return SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder(name, inputSchema)
                        .description(description)
                        .build())
                .callHandler(handler)
                .build();
    }

    private static Map<String, Object> noArgs() {
        return Map.of("type", "object", "properties", Map.of());
    }

    /** An object schema whose properties (name → description) are all required strings. */
    private static Map<String, Object> stringArgs(Map<String, String> descriptions) {
        Map<String, Object> properties = new LinkedHashMap<>();
        descriptions.forEach(
                (name, description) -> properties.put(name, Map.of("type", "string", "description", description)));
        return Map.of("type", "object", "properties", properties, "required", List.copyOf(descriptions.keySet()));
    }

    private static CallToolResult result(McpSchema.Content content) {
        return CallToolResult.builder().addContent(content).build();
    }

    private static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).build();
    }

    private static CallToolResult error(String text) {
        return CallToolResult.builder().addTextContent(text).isError(true).build();
    }
}
