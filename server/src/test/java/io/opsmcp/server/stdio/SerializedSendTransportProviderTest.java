package io.opsmcp.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Many threads sending at once over the stdio transport (log notifications from a tool's worker threads while
 * its result goes out) must all reach stdout; the SDK's transport alone drops some of them.
 */
class SerializedSendTransportProviderTest {

    private static final int THREADS = 8;
    private static final int MESSAGES_PER_THREAD = 50;

    @Test
    void concurrentNotificationsAndTheResultAllReachTheClient() throws Exception {
        PipedOutputStream client = new PipedOutputStream();
        PipedInputStream serverIn = new PipedInputStream(client, 1 << 16);
        ByteArrayOutputStream serverOut = new ByteArrayOutputStream();
        JacksonMcpJsonMapper json =
                new JacksonMcpJsonMapper(JsonMapper.builder().build());
        McpSyncServer server = McpServer.sync(new SerializedSendTransportProvider(
                        new StdioServerTransportProvider(json, serverIn, serverOut),
                        new io.opsmcp.server.mcp.ResourceSubscriptions((who, uri) -> false, context -> null)))
                .serverInfo(new McpSchema.Implementation("test", "1"))
                .capabilities(McpSchema.ServerCapabilities.builder()
                        .tools(true)
                        .logging()
                        .build())
                .tools(SyncToolSpecification.builder()
                        .tool(McpSchema.Tool.builder("burst", Map.of("type", "object"))
                                .description("burst")
                                .build())
                        .callHandler((exchange, request) -> {
                            burst(exchange::loggingNotification);
                            return McpSchema.CallToolResult.builder()
                                    .addTextContent("done")
                                    .build();
                        })
                        .build())
                .build();
        try {
            send(
                    client,
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
            send(client, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(client, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"burst\"}}");

            int expected = 2 + THREADS * MESSAGES_PER_THREAD;
            List<String> lines = List.of();
            for (int i = 0; i < 300 && lines.size() < expected; i++) {
                Thread.sleep(100);
                lines = lines(serverOut);
            }
            assertThat(lines.stream().filter(l -> l.contains("notifications/message")))
                    .hasSize(THREADS * MESSAGES_PER_THREAD);
            assertThat(lines).anyMatch(l -> l.contains("\"id\":2") && l.contains("done"));
        } finally {
            client.close();
            server.close();
        }
    }

    /** Sends THREADS × MESSAGES_PER_THREAD info notifications, all threads released at the same moment. */
    private static void burst(java.util.function.Consumer<McpSchema.LoggingMessageNotification> sink) {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread worker = new Thread(
                    () -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        for (int m = 0; m < MESSAGES_PER_THREAD; m++) {
                            sink.accept(new McpSchema.LoggingMessageNotification(
                                    McpSchema.LoggingLevel.INFO, "burst", thread + "/" + m));
                        }
                    },
                    "burst-" + t);
            worker.start();
            threads.add(worker);
        }
        start.countDown();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void send(PipedOutputStream client, String message) throws IOException {
        client.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        client.flush();
    }

    private static List<String> lines(ByteArrayOutputStream out) {
        String text = out.toString(StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end).lines().toList();
    }
}
