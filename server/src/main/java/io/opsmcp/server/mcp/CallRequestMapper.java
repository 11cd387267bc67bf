package io.opsmcp.server.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The server's {@link McpJsonMapper}: {@code delegate} for everything, except that the {@code params} of a
 * {@code tools/call} in the usual shape become the {@link McpSchema.CallToolRequest} through its constructor instead of
 * through Jackson's record creator (method-handle spreaders, a token buffer, a copy of every argument: the most
 * expensive step of reading a call). The usual shape is what the transports read a request's {@code params} into: a
 * map with only {@code name} (a string), {@code arguments} and {@code _meta} (each absent, {@code null} or a map). The
 * maps are taken as they are, which is what the conversion yields from them (it copies the same untyped values); any
 * other shape (a missing name, an unknown member, another type) goes to {@code delegate}, which decides as before.
 */
public final class CallRequestMapper implements McpJsonMapper {

    private static final Set<String> MEMBERS = Set.of("name", "arguments", "_meta");

    private final McpJsonMapper delegate;

    public CallRequestMapper(McpJsonMapper delegate) {
        this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T convertValue(Object fromValue, TypeRef<T> type) {
        if (type.getType() == McpSchema.CallToolRequest.class && fromValue instanceof Map<?, ?> params) {
            McpSchema.CallToolRequest request = callToolRequest(params);
            if (request != null) {
                return (T) request;
            }
        }
        return delegate.convertValue(fromValue, type);
    }

    /** The request {@code params} hold, when they have the usual shape; otherwise {@code null}. */
    @SuppressWarnings("unchecked")
    static McpSchema.CallToolRequest callToolRequest(Map<?, ?> params) {
        Object arguments = params.get("arguments");
        Object meta = params.get("_meta");
        if (params.get("name") instanceof String name
                && (arguments == null || arguments instanceof Map)
                && (meta == null || meta instanceof Map)
                && MEMBERS.containsAll(params.keySet())) {
            return new McpSchema.CallToolRequest(name, (Map<String, Object>) arguments, (Map<String, Object>) meta);
        }
        return null;
    }

    @Override
    public <T> T convertValue(Object fromValue, Class<T> type) {
        return delegate.convertValue(fromValue, type);
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return delegate.writeValueAsString(value);
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return delegate.writeValueAsBytes(value);
    }
}
