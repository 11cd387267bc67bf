package io.opsmcp.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CallRequestMapper}: {@code tools/call} params read from JSON become the same {@link McpSchema.CallToolRequest}
 * the SDK's conversion makes, whichever path each shape takes (the constructor for the usual shape, the conversion
 * for any other).
 */
class CallRequestMapperTest {

    private static final McpJsonMapper SDK =
            new JacksonMcpJsonMapper(JsonMapper.builder().build());
    private static final McpJsonMapper OURS = new CallRequestMapper(SDK);
    private static final TypeRef<McpSchema.CallToolRequest> CALL = new TypeRef<>() {};
    private static final TypeRef<HashMap<String, Object>> PARAMS = new TypeRef<>() {};

    @Test
    void paramsOfEveryShapeBecomeTheRequestTheSdkMakes() throws Exception {
        List<String> shapes = List.of(
                "{\"name\":\"host_list\"}",
                "{\"name\":\"host_list\",\"arguments\":{}}",
                "{\"name\":\"host_list\",\"arguments\":null}",
                "{\"name\":\"host_read\",\"arguments\":{\"host\":\"web-1\",\"lines\":20,\"big\":12345678901234567890,"
                        + "\"f\":1.5,\"l\":[1,\"a\",null,{\"x\":true}]},\"_meta\":{\"progressToken\":7}}",
                "{\"name\":\"host_list\",\"_meta\":null}",
                "{\"name\":\"host_list\",\"extra\":1}",
                "{\"arguments\":{}}",
                "{\"name\":null}",
                "{\"name\":\"host_list\",\"arguments\":[1]}",
                "{\"name\":\"host_list\",\"_meta\":\"x\"}");
        for (String shape : shapes) {
            Map<String, Object> params = SDK.readValue(shape, PARAMS);
            Object expected;
            try {
                expected = SDK.convertValue(params, CALL);
            } catch (RuntimeException e) {
                expected = e.getClass();
            }
            Object actual;
            try {
                actual = OURS.convertValue(params, CALL);
            } catch (RuntimeException e) {
                actual = e.getClass();
            }
            assertThat(actual).as(shape).isEqualTo(expected);
            if (actual instanceof McpSchema.CallToolRequest request) {
                assertThat(request.progressToken())
                        .as(shape)
                        .isEqualTo(((McpSchema.CallToolRequest) expected).progressToken());
            }
        }
        assertThat(CallRequestMapper.callToolRequest(SDK.readValue("{\"name\":\"host_list\"}", PARAMS)))
                .as("the usual shape takes the constructor")
                .isNotNull();
        assertThat(CallRequestMapper.callToolRequest(SDK.readValue("{\"name\":\"a\",\"extra\":1}", PARAMS)))
                .isNull();
    }
}
