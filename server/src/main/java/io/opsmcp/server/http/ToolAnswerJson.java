package io.opsmcp.server.http;

import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.toolkit.CompactJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The UTF-8 JSON of the usual {@code tools/call} answer, the bytes the transport's default mapper writes for it,
 * without the mapper: a {@link McpSchema.JSONRPCResponse} (no error) with a string or integer id whose result is a
 * {@link McpSchema.CallToolResult} without {@code _meta}, its content only {@link McpSchema.TextContent}s without
 * annotations or {@code _meta}, its {@code isError} set, and its structured content absent or a tree that {@link
 * CompactJson} writes. The mapper's per-message set-up and its bean serializers (the records' property writers,
 * the content's type id) were the larger part of writing a guarded read's answer of ~1.5 KB.
 *
 * <p>Anything else — another message or result, an error, annotations, metadata, a tree holding a floating-point or
 * big number, or any string holding a UTF-16 surrogate (which a UTF-8 mapper combines or refuses) — answers {@code
 * null}, and the caller uses the mapper: the bytes are the mapper's in every case ({@code ToolAnswerJsonTest} holds
 * the two equal).
 */
final class ToolAnswerJson {

    private ToolAnswerJson() {}

    /** The message's JSON as UTF-8, or {@code null} when it is left to the mapper. */
    static byte[] write(McpSchema.JSONRPCMessage message) {
        if (!(message instanceof McpSchema.JSONRPCResponse response)
                || response.error() != null
                || response.jsonrpc() == null
                || !(response.result() instanceof McpSchema.CallToolResult result)
                || result.meta() != null
                || result.isError() == null
                || result.content() == null) {
            return null;
        }
        Object structured = result.structuredContent();
        if (structured != null && !(structured instanceof JsonNode)) {
            return null;
        }
        StringBuilder out = new StringBuilder(2048);
        out.append("{\"jsonrpc\":");
        if (!CompactJson.appendString(response.jsonrpc(), out, true)) {
            return null;
        }
        out.append(",\"id\":");
        Object id = response.id();
        if (id instanceof Integer || id instanceof Long) {
            out.append(((Number) id).longValue());
        } else if (!(id instanceof String s && CompactJson.appendString(s, out, true))) {
            return null;
        }
        out.append(",\"result\":{\"content\":[");
        List<McpSchema.Content> content = result.content();
        for (int i = 0; i < content.size(); i++) {
            if (!(content.get(i) instanceof McpSchema.TextContent text)
                    || text.annotations() != null
                    || text.meta() != null
                    || text.text() == null) {
                return null;
            }
            out.append(i == 0 ? "{\"type\":\"text\",\"text\":" : ",{\"type\":\"text\",\"text\":");
            if (!CompactJson.appendString(text.text(), out, true)) {
                return null;
            }
            out.append('}');
        }
        out.append("],\"isError\":").append(result.isError().booleanValue());
        if (structured != null) {
            out.append(",\"structuredContent\":");
            if (!CompactJson.append((JsonNode) structured, out, true)) {
                return null;
            }
        }
        out.append("}}");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
