package io.opsmcp.server.stdio;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.toolkit.Deferred;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stdio transport's JSON mapper, made on a thread of its own while the runtime is built, and run once through
 * a sample {@code initialize} exchange (the request line read and its parameters bound, the answer written, the
 * records' {@code toString} the SDK's INFO line uses) and a sample {@code tools/call} one: Jackson's serializers and deserializers for these types
 * and the records' generated methods are built per mapper and class on first use, ~50–75 ms of the thread that
 * answers the real {@code initialize}, which no longer does it. Nothing leaves the mapper: the sample is a
 * constant, and its results are dropped.
 */
final class ProtocolJson {

    private static final String SAMPLE_INITIALIZE =
            "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
                    + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"roots\":{\"listChanged\":true},"
                    + "\"sampling\":{},\"elicitation\":{}},\"clientInfo\":{\"name\":\"warm-up\",\"version\":\"0\"}}}";

    private static final String SAMPLE_CALL = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"warm_up\",\"arguments\":{\"host\":\"warm-up\"}}}";

    private ProtocolJson() {}

    /** Begins making the mapper on a daemon thread; {@link Deferred#get()} waits for it (or makes it). */
    static Deferred<McpJsonMapper> prepare() {
        Deferred<McpJsonMapper> json = new Deferred<>("protocol-json", ProtocolJson::warmed);
        json.start();
        return json;
    }

    /** A new mapper, after one sample {@code initialize} exchange through it (a failed sample is logged only). */
    static McpJsonMapper warmed() {
        McpJsonMapper json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
        try {
            exchange(json);
        } catch (IOException | RuntimeException e) { // a warm-up: the real exchange reports its own errors
            LoggerFactory.getLogger(ProtocolJson.class).debug("the sample initialize exchange failed", e);
        }
        return json;
    }

    /**
     * Reads the sample {@code initialize} request as the SDK does and writes an answer to it.
     *
     * @return the answer's JSON
     */
    static String exchange(McpJsonMapper json) throws IOException {
        McpSchema.JSONRPCRequest request =
                (McpSchema.JSONRPCRequest) McpSchema.deserializeJsonRpcMessage(json, SAMPLE_INITIALIZE);
        McpSchema.InitializeRequest init =
                json.convertValue(request.params(), new TypeRef<McpSchema.InitializeRequest>() {});
        String described = init.capabilities() + " " + init.clientInfo(); // the SDK logs both at INFO
        McpSchema.InitializeResult result = new McpSchema.InitializeResult(
                init.protocolVersion(),
                McpSchema.ServerCapabilities.builder()
                        .completions()
                        .logging()
                        .prompts(true)
                        .resources(true, true)
                        .tools(false)
                        .build(),
                new McpSchema.Implementation("warm-up", "warm-up", described),
                null);
        String answer = json.writeValueAsString(new McpSchema.JSONRPCResponse("2.0", request.id(), result, null));
        // and a tools/call: its parameters as the SDK binds them, an answer with text and structured content (the
        // runtime's own warm-up writes one through the server's mapper, not this one, which writes the answers)
        McpSchema.JSONRPCRequest call =
                (McpSchema.JSONRPCRequest) McpSchema.deserializeJsonRpcMessage(json, SAMPLE_CALL);
        McpSchema.CallToolRequest tool = json.convertValue(call.params(), new TypeRef<McpSchema.CallToolRequest>() {});
        json.writeValueAsString(McpSchema.JSONRPCResponse.result(
                call.id(),
                McpSchema.CallToolResult.builder()
                        .content(List.of(new McpSchema.TextContent(tool.name())))
                        .structuredContent(Map.of("hosts", List.of(Map.of("name", tool.name(), "port", 22))))
                        .isError(false)
                        .build()));
        return answer;
    }
}
