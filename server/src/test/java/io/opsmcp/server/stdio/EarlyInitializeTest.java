package io.opsmcp.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.server.mcp.McpServerFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link EarlyInitialize}: the answer written before the server exists is, byte for byte, the one the MCP SDK's own
 * server gives to the same request (the SDK is the oracle: a real {@code McpSyncServer} on a stdio transport); and a
 * request it answers is one the SDK would have answered with a result, never one the SDK refuses.
 */
class EarlyInitializeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theEarlyAnswerIsTheSdksAnswerForEveryVersionIdAndIdentity() throws Exception {
        List<String> versions = new ArrayList<>(sdkStdioVersions());
        versions.add("2026-07-28"); // not a stdio version of the SDK: it proposes its latest
        versions.add("1999-01-01");
        int compared = 0;
        for (boolean listChanged : new boolean[] {false, true}) {
            McpServerFactory.Identity identity = McpServerFactory.identity("9.8.7-test", listChanged);
            for (String version : versions) {
                for (String id : new String[] {"1", "\"req-\\u00e9\\\"x\"", "9007199254740993"}) {
                    String request = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"initialize\",\"params\":"
                            + "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{\"roots\":{\"listChanged\":"
                            + "true},\"sampling\":{},\"elicitation\":{\"form\":{}}},\"clientInfo\":{\"name\":\"c\","
                            + "\"title\":\"Client\",\"version\":\"1\"},\"_meta\":{\"k\":1}}}";

                    String early = EarlyInitialize.answerTo(JSON.readTree(request), identity);

                    assertThat(early).as(request).isEqualTo(sdkAnswer(identity, request));
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(2 * versions.size() * 3);
    }

    @Test
    void theVersionsAreTheSdkStdioTransportsInItsOrder() {
        assertThat(EarlyInitialize.PROTOCOL_VERSIONS).isEqualTo(sdkStdioVersions());
    }

    private static List<String> sdkStdioVersions() {
        return new StdioServerTransportProvider(
                        new JacksonMcpJsonMapper(JsonMapper.builder().build()))
                .protocolVersions();
    }

    @Test
    void theRealServersIdentityIsWrittenAsTheSdkWritesIt() throws Exception {
        // the shipped instructions, through the same JSON escaping
        McpServerFactory.Identity identity = McpServerFactory.identity("0.1.0", false);
        String request = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"claude-ai\",\"version\":\"0.1.0\"}}}";
        assertThat(EarlyInitialize.answerTo(JSON.readTree(request), identity))
                .isEqualTo(sdkAnswer(identity, request))
                .contains("\"instructions\":\"ops-mcp gives you operations tools");
    }

    @Test
    void whatIsAnsweredEarlyIsWhatTheSdkBinds() {
        McpJsonMapper sdk = new JacksonMcpJsonMapper(JsonMapper.builder().build());
        Random random = new Random(20261205);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 4000; i++) {
            // varied per case, so that both kinds of case are many
            ObjectNode params = new Shapes(random, new int[] {3, 10, 40}[i % 3]).params();
            String line = "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"initialize\",\"params\":" + params + "}";
            if (!EarlyInitialize.binds(params)) {
                refused++;
                continue;
            }
            accepted++;
            assertThatCode(() -> {
                        McpSchema.JSONRPCRequest request =
                                (McpSchema.JSONRPCRequest) McpSchema.deserializeJsonRpcMessage(sdk, line);
                        McpSchema.InitializeRequest init =
                                sdk.convertValue(request.params(), new TypeRef<McpSchema.InitializeRequest>() {});
                        assertThat(init.protocolVersion())
                                .isEqualTo(params.get("protocolVersion").asString());
                        assertThat(init.clientInfo().name())
                                .isEqualTo(params.get("clientInfo").get("name").asString());
                    })
                    .as(line)
                    .doesNotThrowAnyException();
        }
        // both sides of the rule were exercised
        assertThat(accepted).isGreaterThan(300);
        assertThat(refused).isGreaterThan(300);
    }

    @Test
    void shapesTheSdkRefusesOrThatAreNotInitializeAreLeftToTheSdk() throws Exception {
        McpServerFactory.Identity identity = McpServerFactory.identity("1", false);
        String[] left = {
            // not initialize, a notification, an id the SDK would answer differently
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}",
            // params the SDK cannot bind (or that ProtocolChecks refuses)
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":[1]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":\"all\",\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{\"roots\":{\"listChanged\":\"maybe\"}},\"clientInfo\":{\"name\":\"c\","
                    + "\"version\":\"1\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":[\"c\"]}}",
            // a version that is not a string, icons (left to the SDK's own binding)
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":20250618,"
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\",\"icons\":[{}]}}}",
        };
        for (String line : left) {
            assertThat(EarlyInitialize.answerTo(JSON.readTree(line), identity))
                    .as(line)
                    .isNull();
        }
        // an identity with something the early writer does not write: the SDK answers
        McpServerFactory.Identity experimental = new McpServerFactory.Identity(
                identity.serverInfo(),
                identity.instructions(),
                identity.capabilities()
                        .mutate()
                        .experimental(java.util.Map.of("x", 1))
                        .build());
        String good = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}";
        assertThat(EarlyInitialize.answerTo(JSON.readTree(good), experimental)).isNull();
        assertThat(EarlyInitialize.answerTo(JSON.readTree(good), identity)).isNotNull();
    }

    /** The SDK's answer: a real McpSyncServer of {@code identity} on a stdio transport, given {@code request}. */
    static String sdkAnswer(McpServerFactory.Identity identity, String request) throws Exception {
        PipedOutputStream toServer = new PipedOutputStream();
        PipedInputStream serverIn = new PipedInputStream(toServer, 1 << 16);
        PipedOutputStream serverOut = new PipedOutputStream();
        BufferedReader fromServer = new BufferedReader(
                new InputStreamReader(new PipedInputStream(serverOut, 1 << 16), StandardCharsets.UTF_8));
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(
                        new JacksonMcpJsonMapper(JsonMapper.builder().build()), serverIn, serverOut))
                .serverInfo(identity.serverInfo())
                .instructions(identity.instructions())
                .capabilities(identity.capabilities())
                .build();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            toServer.write((request + "\n").getBytes(StandardCharsets.UTF_8));
            toServer.flush();
            Future<String> line = reader.submit(fromServer::readLine);
            return line.get(10, TimeUnit.SECONDS);
        } finally {
            server.closeGracefully();
            toServer.close();
            reader.shutdownNow();
        }
    }

    /**
     * Initialize params whose members (known ones at every level, plus unknown ones) are their well-typed value or,
     * one time in {@code badOneIn}, absent, null, or a value of another JSON type.
     */
    private record Shapes(Random random, int badOneIn) {

        ObjectNode params() {
            JsonNodeFactory f = JsonNodeFactory.instance;
            ObjectNode params = f.objectNode();
            put(params, "protocolVersion", () -> f.stringNode("2025-06-18"));
            put(params, "_meta", () -> f.objectNode().put("progressToken", 1));
            put(params, "capabilities", () -> {
                ObjectNode c = f.objectNode();
                put(c, "experimental", () -> f.objectNode().put("x", true));
                put(c, "roots", () -> {
                    ObjectNode r = f.objectNode();
                    put(r, "listChanged", () -> f.booleanNode(random.nextBoolean()));
                    return r;
                });
                put(c, "sampling", () -> f.objectNode().put("context", "x"));
                put(c, "elicitation", () -> {
                    ObjectNode e = f.objectNode();
                    put(e, "form", f::objectNode);
                    put(e, "url", f::objectNode);
                    return e;
                });
                put(c, "extensions", () -> {
                    ObjectNode x = f.objectNode();
                    put(x, "io.example/ext", () -> f.objectNode().put("v", 1));
                    return x;
                });
                put(c, "tasks", f::objectNode); // unknown to this SDK: ignored
                return c;
            });
            put(params, "clientInfo", () -> {
                ObjectNode i = f.objectNode();
                put(i, "name", () -> f.stringNode("client"));
                put(i, "version", () -> f.stringNode("1.0"));
                put(i, "title", () -> f.stringNode("Client"));
                put(i, "description", () -> f.stringNode("d"));
                put(i, "websiteUrl", () -> f.stringNode("https://example.com"));
                return i;
            });
            if (random.nextInt(4) == 0) {
                params.put("unknownMember", random.nextInt());
            }
            return params;
        }

        private void put(ObjectNode node, String name, java.util.function.Supplier<JsonNode> good) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (random.nextInt(badOneIn) != 0) {
                node.set(name, good.get());
                return;
            }
            switch (random.nextInt(7)) {
                case 0 -> {} // absent
                case 1 -> node.putNull(name);
                case 2 -> node.put(name, "text");
                case 3 -> node.put(name, 42);
                case 4 -> node.put(name, random.nextBoolean());
                case 5 -> node.set(name, f.arrayNode().add(1));
                default -> node.set(name, f.objectNode().put("other", 1));
            }
        }
    }
}
