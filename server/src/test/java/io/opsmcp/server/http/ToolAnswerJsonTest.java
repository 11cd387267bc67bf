package io.opsmcp.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The direct path writes the usual {@code tools/call} answer without the mapper: its bytes must be the bytes the
 * transport's mapper (a default one, as {@code HttpTransport} makes it) writes, and whatever it does not write must be
 * left to the mapper.
 */
class ToolAnswerJsonTest {

    private static final JacksonMcpJsonMapper MAPPER =
            new JacksonMcpJsonMapper(JsonMapper.builder().build());
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static byte[] mapper(McpSchema.JSONRPCMessage message) throws Exception {
        return MAPPER.writeValueAsBytes(message);
    }

    private static McpSchema.JSONRPCResponse answer(Object id, McpSchema.CallToolResult result) {
        return new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, result, null);
    }

    @Test
    void aHostListAnswerIsTheMappersBytes() throws Exception {
        ObjectNode out = F.objectNode();
        out.putArray("hosts")
                .addObject()
                .put("name", "sandbox")
                .put("address", "127.0.0.1")
                .put("port", 43027)
                .put("user", "root")
                .putNull("host_group")
                .put("environment", "dev");
        var result = McpSchema.CallToolResult.builder()
                .addTextContent("1 configured host(s):\nNAME     ADDRESS\nsandbox  127.0.0.1:43027\n")
                .isError(false)
                .structuredContent(out)
                .addTextContent(JsonMapper.builder().build().writeValueAsString(out))
                .build();
        for (Object id : new Object[] {2, 7L, Long.MIN_VALUE, "req-1", "\"quoted\"\n"}) {
            var message = answer(id, result);
            byte[] direct = ToolAnswerJson.write(message);
            assertThat(direct).as("id %s", id).isNotNull();
            assertThat(new String(direct, StandardCharsets.UTF_8))
                    .isEqualTo(new String(mapper(message), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anErrorAnswerWithoutStructuredContentIsTheMappersBytes() throws Exception {
        var message = answer(
                3,
                McpSchema.CallToolResult.builder()
                        .addTextContent("The policy denied host_exec: \"prod\" needs approval\u0001")
                        .isError(true)
                        .build());
        assertThat(ToolAnswerJson.write(message)).isNotNull().isEqualTo(mapper(message));
        var noContent = answer(4, new McpSchema.CallToolResult(List.of(), false, null, null));
        assertThat(ToolAnswerJson.write(noContent)).isNotNull().isEqualTo(mapper(noContent));
    }

    @Test
    void randomAnswersAreTheMappersBytesOrLeftToIt() throws Exception {
        Random random = new Random(21);
        int direct = 0;
        for (int i = 0; i < 3_000; i++) {
            List<McpSchema.Content> content = new ArrayList<>();
            int n = random.nextInt(3);
            for (int k = 0; k < n; k++) {
                content.add(new McpSchema.TextContent(string(random)));
            }
            JsonNode structured = random.nextInt(4) == 0 ? null : tree(random, 0);
            var message = answer(
                    random.nextBoolean() ? (Object) random.nextInt() : string(random),
                    new McpSchema.CallToolResult(content, random.nextBoolean(), structured, null));
            byte[] bytes = ToolAnswerJson.write(message);
            if (bytes != null) {
                direct++;
                assertThat(new String(bytes, StandardCharsets.UTF_8))
                        .as("answer %d", i)
                        .isEqualTo(new String(mapper(message), StandardCharsets.UTF_8));
            }
        }
        assertThat(direct).as("most random answers are written directly").isGreaterThan(1_000);
    }

    @Test
    void everyNonSurrogateCharacterIsEncodedAsTheMapperEncodesIt() throws Exception {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) {
            if (!Character.isSurrogate((char) c)) {
                all.append((char) c);
            }
        }
        var message = answer(
                1,
                new McpSchema.CallToolResult(
                        List.of(new McpSchema.TextContent(all.toString())),
                        false,
                        F.objectNode().put(all.toString(), all.toString()),
                        null));
        assertThat(ToolAnswerJson.write(message)).isNotNull().isEqualTo(mapper(message));
    }

    @Test
    void whatItDoesNotWriteIsLeftToTheMapper() {
        var plain = McpSchema.CallToolResult.builder()
                .addTextContent("ok")
                .isError(false)
                .build();
        // other messages, an error answer, another result
        assertThat(ToolAnswerJson.write(new McpSchema.JSONRPCNotification("2.0", "notifications/message", Map.of())))
                .isNull();
        assertThat(ToolAnswerJson.write(new McpSchema.JSONRPCResponse(
                        "2.0", 1, null, new McpSchema.JSONRPCResponse.JSONRPCError(-32603, "x", null))))
                .isNull();
        assertThat(ToolAnswerJson.write(new McpSchema.JSONRPCResponse("2.0", 1, Map.of("content", List.of()), null)))
                .isNull();
        // metadata, annotations, non-text content, an unset isError, a structured Map, ids of other kinds
        assertThat(ToolAnswerJson.write(answer(1, new McpSchema.CallToolResult(List.of(), false, null, Map.of()))))
                .isNull();
        assertThat(ToolAnswerJson.write(answer(
                        1,
                        new McpSchema.CallToolResult(
                                List.of(new McpSchema.TextContent(
                                        new McpSchema.Annotations(List.of(McpSchema.Role.USER), 0.5), "x")),
                                false,
                                null,
                                null))))
                .isNull();
        assertThat(ToolAnswerJson.write(answer(
                        1,
                        new McpSchema.CallToolResult(
                                List.of(new McpSchema.TextContent(null, "x", Map.of("k", "v"))), false, null, null))))
                .isNull();
        assertThat(ToolAnswerJson.write(answer(
                        1,
                        new McpSchema.CallToolResult(
                                List.of(new McpSchema.ImageContent(null, "AAAA", "image/png")), false, null, null))))
                .isNull();
        assertThat(ToolAnswerJson.write(answer(1, new McpSchema.CallToolResult(List.of(), null, null, null))))
                .isNull();
        assertThat(ToolAnswerJson.write(
                        answer(1, new McpSchema.CallToolResult(List.of(), false, Map.of("a", 1), null))))
                .isNull();
        assertThat(ToolAnswerJson.write(answer(1, plain))).isNotNull();
        // a floating-point number in the tree, a surrogate in a text, a key or the id: the mapper's
        assertThat(ToolAnswerJson.write(answer(
                        1,
                        new McpSchema.CallToolResult(
                                List.of(), false, F.objectNode().put("x", 0.5), null))))
                .isNull();
        assertThat(ToolAnswerJson.write(answer(
                        1,
                        new McpSchema.CallToolResult(
                                List.of(new McpSchema.TextContent("smile \ud83d\ude00")), false, null, null))))
                .isNull();
        assertThat(ToolAnswerJson.write(answer(
                        1,
                        new McpSchema.CallToolResult(
                                List.of(), false, F.objectNode().put("\ud800", "lone"), null))))
                .isNull();
        assertThat(ToolAnswerJson.write(answer("\udfff", plain))).isNull();
        assertThat(ToolAnswerJson.write(answer(
                        1,
                        new McpSchema.CallToolResult(
                                List.of(), false, F.arrayNode().add(new BigDecimal("1.0")), null))))
                .isNull();
    }

    private static JsonNode tree(Random r, int depth) {
        int kind = depth > 3 ? 2 + r.nextInt(5) : r.nextInt(7);
        return switch (kind) {
            case 0 -> {
                ObjectNode o = F.objectNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.set(string(r), tree(r, depth + 1));
                }
                yield o;
            }
            case 1 -> {
                ArrayNode a = F.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(tree(r, depth + 1));
                }
                yield a;
            }
            case 2, 3 -> F.stringNode(string(r));
            case 4 -> F.numberNode(r.nextLong());
            case 5 -> r.nextInt(20) == 0 ? F.numberNode(r.nextDouble()) : F.numberNode(r.nextInt());
            default -> r.nextBoolean() ? F.booleanNode(r.nextBoolean()) : F.nullNode();
        };
    }

    /** Escapes, control characters, non-ASCII (one to three UTF-8 bytes), and now and then a surrogate. */
    private static String string(Random r) {
        String pool = "aZ09 _-\"\\/\b\t\n\f\r\u0000\u001f\u007f\u0080\u07ffé€\u2028\uffff";
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(10); i > 0; i--) {
            s.append(r.nextInt(200) == 0 ? '\ud83d' : pool.charAt(r.nextInt(pool.length())));
        }
        return s.toString();
    }
}
