package io.opsmcp.conformance;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conformance suite's fixture resources: a text and a binary resource, one that clients subscribe to,
 * and the template {@code test://template/{id}/data} whose reads echo the id.
 */
final class ConformanceResources {

    static final String TEMPLATE = "test://template/{id}/data";
    private static final Pattern TEMPLATE_URI = Pattern.compile("test://template/([^/]+)/data");

    private final String png = TestMedia.redPixelPngBase64();
    private final JsonMapper json;

    ConformanceResources(JsonMapper json) {
        this.json = json;
    }

    List<SyncResourceSpecification> resources() {
        return List.of(
                new SyncResourceSpecification(
                        resource("test://static-text", "static-text", "A fixed text resource.", "text/plain"),
                        (ex, req) -> new ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                                req.uri(), "text/plain", "This is the content of the static text resource.")))),
                new SyncResourceSpecification(
                        resource(
                                "test://static-binary",
                                "static-binary",
                                "A fixed binary resource (1x1 PNG).",
                                TestMedia.PNG_MIME),
                        (ex, req) -> new ReadResourceResult(
                                List.of(new McpSchema.BlobResourceContents(req.uri(), TestMedia.PNG_MIME, png)))),
                new SyncResourceSpecification(
                        resource(
                                "test://watched-resource",
                                "watched-resource",
                                "A resource clients may subscribe to.",
                                "text/plain"),
                        (ex, req) -> new ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                                req.uri(), "text/plain", "Watched resource content.")))));
    }

    List<SyncResourceTemplateSpecification> templates() {
        McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder(TEMPLATE, "template-data")
                .description("JSON data for the id in the URI.")
                .mimeType("application/json")
                .build();
        return List.of(new SyncResourceTemplateSpecification(template, (ex, req) -> {
            Matcher m = TEMPLATE_URI.matcher(req.uri());
            if (!m.matches()) {
                throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS)
                        .message("uri: must match " + TEMPLATE + ", got " + req.uri())
                        .build();
            }
            String id = m.group(1);
            String json = this.json.writeValueAsString(this.json
                    .createObjectNode()
                    .put("id", id)
                    .put("templateTest", true)
                    .put("data", "Data for ID: " + id));
            return new ReadResourceResult(
                    List.of(new McpSchema.TextResourceContents(req.uri(), "application/json", json)));
        }));
    }

    private static McpSchema.Resource resource(String uri, String name, String description, String mimeType) {
        return McpSchema.Resource.builder(uri, name)
                .description(description)
                .mimeType(mimeType)
                .build();
    }
}
