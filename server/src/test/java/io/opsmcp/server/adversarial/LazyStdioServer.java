package io.opsmcp.server.adversarial;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stdio server's runtime ({@link OpsMcpRuntime#startLazily}: the store and the policy open after the first answer)
 * in this JVM, served by the MCP SDK's stdio transport over pipes: what a client gets from {@code ops-mcp serve
 * --transport stdio}, without the process (whose start watch ends it with status 1 once the store or the policy
 * failed, racing the answers to calls that waited for them). Lines go in with {@link #sendLine}; answers come out of
 * {@link #awaitId}.
 */
final class LazyStdioServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OpsMcpRuntime runtime;
    private final McpSyncServer server;
    private final OutputStream toServer;
    private final BlockingQueue<String> fromServer = new LinkedBlockingQueue<>();

    /**
     * @param yaml    the configuration file's text
     * @param dataDir the data directory
     */
    LazyStdioServer(Path dir, String yaml, Path dataDir) throws IOException {
        Path file = Files.writeString(dir.resolve("lazy-stdio.yaml"), yaml);
        OpsMcpConfig config = new ConfigLoader(Map.of())
                .load(file, new ConfigLoader.Overrides("stdio", null, null, null, false, "warn", dataDir));
        runtime = OpsMcpRuntime.startLazily(config);
        try {
            PipedInputStream serverIn = new PipedInputStream(1 << 16);
            toServer = new PipedOutputStream(serverIn);
            PipedOutputStream serverOut = new PipedOutputStream();
            PipedInputStream clientIn = new PipedInputStream(serverOut, 1 << 16);
            server = runtime.serverFactory()
                    .create(new StdioServerTransportProvider(new JacksonMcpJsonMapper(JSON), serverIn, serverOut));
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader in =
                                new BufferedReader(new InputStreamReader(clientIn, StandardCharsets.UTF_8))) {
                            for (String line = in.readLine(); line != null; line = in.readLine()) {
                                fromServer.add(line);
                            }
                        } catch (IOException e) {
                            // the pipe closed with the server
                        }
                    },
                    "lazy-stdio-client");
            reader.setDaemon(true);
            reader.start();
        } catch (IOException | RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** The runtime, e.g. to start its background work as the stdio transport does after its first answer. */
    OpsMcpRuntime runtime() {
        return runtime;
    }

    void sendLine(String line) throws IOException {
        toServer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        toServer.flush();
    }

    /**
     * Reads answers until the one to request {@code id} (others, and notifications, go to {@code seen}); {@code null}
     * when none came within the timeout.
     */
    JsonNode awaitId(int id, List<JsonNode> seen, long timeoutSeconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (JsonNode m : List.copyOf(seen)) {
            if (m.path("id").asInt(-1) == id && !m.has("method")) {
                return m;
            }
        }
        while (System.nanoTime() < end) {
            String line = fromServer.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            JsonNode m = JSON.readTree(line);
            if (m.path("id").isIntegralNumber() && m.path("id").asInt() == id && !m.has("method")) {
                return m;
            }
            seen.add(m);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        try {
            toServer.close();
            server.close();
        } finally {
            runtime.close();
        }
    }
}
