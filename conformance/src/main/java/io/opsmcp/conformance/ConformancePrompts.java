package io.opsmcp.conformance;

import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.Role;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The conformance suite's fixture prompts (plain, with arguments, with an embedded resource, with an image)
 * and the completion handler for {@code test_prompt_with_arguments}'s arguments.
 */
final class ConformancePrompts {

    static final String WITH_ARGUMENTS = "test_prompt_with_arguments";

    /** Candidate completions per argument of {@value #WITH_ARGUMENTS}; a prefix of the typed value filters them. */
    private static final Map<String, List<String>> SUGGESTIONS = Map.of(
            "arg1", List.of("paris", "park", "party", "test", "testing"),
            "arg2", List.of("world", "wonder", "test", "tested"));

    private final String png = TestMedia.redPixelPngBase64();

    List<SyncPromptSpecification> prompts() {
        return List.of(
                new SyncPromptSpecification(
                        new McpSchema.Prompt("test_simple_prompt", "A prompt without arguments.", List.of()),
                        (ex, req) -> result(user(new McpSchema.TextContent("This is a simple prompt for testing.")))),
                new SyncPromptSpecification(
                        new McpSchema.Prompt(
                                WITH_ARGUMENTS,
                                "A prompt with two required arguments.",
                                List.of(
                                        new McpSchema.PromptArgument("arg1", "First test argument", true),
                                        new McpSchema.PromptArgument("arg2", "Second test argument", true))),
                        (ex, req) -> {
                            String arg1 = required(req, "arg1");
                            String arg2 = required(req, "arg2");
                            return result(user(new McpSchema.TextContent(
                                    "Prompt with arguments: arg1='" + arg1 + "', arg2='" + arg2 + "'")));
                        }),
                new SyncPromptSpecification(
                        new McpSchema.Prompt(
                                "test_prompt_with_embedded_resource",
                                "A prompt that embeds the resource named by resourceUri.",
                                List.of(new McpSchema.PromptArgument(
                                        "resourceUri", "URI of the resource to embed", true))),
                        (ex, req) -> result(
                                user(new McpSchema.EmbeddedResource(
                                        null,
                                        new McpSchema.TextResourceContents(
                                                required(req, "resourceUri"),
                                                "text/plain",
                                                "Embedded resource content for testing."))),
                                user(new McpSchema.TextContent("Please process the embedded resource above.")))),
                new SyncPromptSpecification(
                        new McpSchema.Prompt("test_prompt_with_image", "A prompt carrying an image.", List.of()),
                        (ex, req) -> result(
                                user(new McpSchema.ImageContent(null, png, TestMedia.PNG_MIME)),
                                user(new McpSchema.TextContent("Please analyze the image above.")))));
    }

    List<SyncCompletionSpecification> completions() {
        return List.of(new SyncCompletionSpecification(new McpSchema.PromptReference(WITH_ARGUMENTS), (ex, req) -> {
            String typed =
                    req.argument().value() == null ? "" : req.argument().value().toLowerCase(Locale.ROOT);
            List<String> values = SUGGESTIONS.getOrDefault(req.argument().name(), List.of()).stream()
                    .filter(v -> v.startsWith(typed))
                    .toList();
            return new McpSchema.CompleteResult(
                    new McpSchema.CompleteResult.CompleteCompletion(values, values.size(), false));
        }));
    }

    private static String required(McpSchema.GetPromptRequest request, String name) {
        Object value = request.arguments() == null ? null : request.arguments().get(name);
        if (!(value instanceof String s) || s.isEmpty()) {
            throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS)
                    .message(name + ": required argument is missing or empty")
                    .build();
        }
        return s;
    }

    private static PromptMessage user(McpSchema.Content content) {
        return new PromptMessage(Role.USER, content);
    }

    private static GetPromptResult result(PromptMessage... messages) {
        return new GetPromptResult(null, List.of(messages));
    }
}
