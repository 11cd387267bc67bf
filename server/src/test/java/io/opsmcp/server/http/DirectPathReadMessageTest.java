package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The direct path reads a request body with the message map's type resolved once: what it reads is what the SDK's
 * own deserialisation reads, and what the per-read type resolution read, for every kind of message.
 */
class DirectPathReadMessageTest {

    private static final JacksonMcpJsonMapper JSON =
            new JacksonMcpJsonMapper(JsonMapper.builder().build());

    @Test
    void messagesReadWithTheResolvedTypeAreTheSdksMessages() throws Exception {
        var type = PrincipalBoundStreamableTransport.messageMapType(JSON);
        assertThat(type).isNotNull();
        for (String text : List.of(
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"host_list\",\"arguments\":{}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"arguments\":{\"n\":[1,2.5,null,true,{\"k\":\"é\"}]}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":9007199254740993,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":2}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"action\":\"accept\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\",\"extra\":1}")) {
            McpSchema.JSONRPCMessage resolved = PrincipalBoundStreamableTransport.readMessage(JSON, type, text);
            assertThat(resolved).as(text).isEqualTo(PrincipalBoundStreamableTransport.readMessage(JSON, null, text));
            assertThat(resolved).as(text).isEqualTo(McpSchema.deserializeJsonRpcMessage(JSON, text));
        }
    }

    @Test
    void malformedBodiesFailEitherWaySoTheSdksRouteAnswersThem() {
        // answerDirectly catches both kinds and leaves the request to the SDK's route
        var type = PrincipalBoundStreamableTransport.messageMapType(JSON);
        for (String text : List.of("{\"jsonrpc\":", "[1,2]", "\"text\"")) {
            assertThatThrownBy(() -> PrincipalBoundStreamableTransport.readMessage(JSON, type, text))
                    .as(text)
                    .isInstanceOfAny(IOException.class, JacksonException.class);
            assertThatThrownBy(() -> PrincipalBoundStreamableTransport.readMessage(JSON, null, text))
                    .as(text)
                    .isInstanceOfAny(IOException.class, JacksonException.class);
        }
    }
}
