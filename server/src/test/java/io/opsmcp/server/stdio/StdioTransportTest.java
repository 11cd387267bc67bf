package io.opsmcp.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stdio transport with a real runtime behind it: {@code initialize} is answered before the runtime exists, once;
 * what the client sent after it waits and is answered, in order, by the runtime's server; the identity declared early
 * is the one the built server declares (both settings of {@code tools.discovery}, the one setting that changes it).
 */
class StdioTransportTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    @TempDir
    Path dataDir;

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private OutputStream stdin;
    private BufferedReader stdout;
    private StdioTransport transport;

    @BeforeEach
    void pipes() throws IOException {
        events.start();
        ((Logger) LoggerFactory.getLogger(EarlyInitialize.class)).addAppender(events);
        // OS-like pipes (java.io's piped streams fail once the thread that last read ends: here the early reader)
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        stdin = Channels.newOutputStream(in.sink());
        stdout = new BufferedReader(
                new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8));
        transport = new StdioTransport(
                StdioTransport.prepareJson(),
                Channels.newOutputStream(out.sink()),
                Channels.newInputStream(in.source()));
    }

    @AfterEach
    void stop() throws IOException {
        ((Logger) LoggerFactory.getLogger(EarlyInitialize.class)).detachAppender(events);
        stdin.close();
        threads.shutdownNow();
    }

    @Test
    void initializeIsAnsweredBeforeTheRuntimeExistsOnceAndTheRestInOrderByItsServer() throws Exception {
        OpsMcpConfig config = runbooks(Map.of());
        transport.answerInitializeEarly(OpsMcpRuntime.identity(config));
        send(INITIALIZE);

        JsonNode init = next(); // no runtime has been built yet
        assertThat(init.get("id").asInt()).isEqualTo(1);
        assertThat(init.at("/result/serverInfo/name").asString()).isEqualTo("ops-mcp");

        // a client that goes on at once: these wait in the pipe for the runtime's server
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
        try (OpsMcpRuntime runtime = OpsMcpRuntime.startLazily(config)) {
            Future<?> served = threads.submit(() -> {
                transport.serve(runtime);
                return null;
            });
            JsonNode list = next();
            assertThat(list.get("id").asInt())
                    .as("the SDK's own answer to initialize was dropped")
                    .isEqualTo(2);
            assertThat(list.at("/result/tools").findValuesAsString("name")).contains("runbook_search");
            assertThat(next().get("id").asInt()).isEqualTo(3);
            assertThat(events.list)
                    .as("the SDK answered initialize as it was answered early")
                    .noneMatch(e -> e.getLevel() == Level.ERROR);

            stdin.close(); // the client goes away: serve returns
            served.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFirstMessageThatIsNotInitializeWaitsForTheServerLikeEverythingElse() throws Exception {
        OpsMcpConfig config = runbooks(Map.of());
        transport.answerInitializeEarly(OpsMcpRuntime.identity(config));
        send("{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}");
        send(INITIALIZE);
        try (OpsMcpRuntime runtime = OpsMcpRuntime.startLazily(config)) {
            threads.submit(() -> {
                transport.serve(runtime);
                return null;
            });
            // the server answers both, in order (a ping before notifications/initialized waits for it: send it)
            send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            List<String> ids =
                    List.of(next().get("id").asString(), next().get("id").asString());
            assertThat(ids).containsExactlyInAnyOrder("1", "p");
        }
    }

    @Test
    void theIdentityDeclaredEarlyIsTheBuiltServersWithAndWithoutToolDiscovery() {
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("OPS_MCP_TOOL_DISCOVERY", "true"))) {
            OpsMcpConfig config = runbooks(env);
            try (OpsMcpRuntime runtime = OpsMcpRuntime.startLazily(config)) {
                assertThat(OpsMcpRuntime.identity(config))
                        .as(env.toString())
                        .isEqualTo(runtime.serverFactory().identity());
            }
        }
        assertThat(OpsMcpRuntime.identity(runbooks(Map.of("OPS_MCP_TOOL_DISCOVERY", "true")))
                        .capabilities()
                        .tools()
                        .listChanged())
                .isTrue();
    }

    private OpsMcpConfig runbooks(Map<String, String> env) {
        return new ConfigLoader(env)
                .load(
                        null,
                        new ConfigLoader.Overrides("stdio", null, null, List.of("runbooks"), false, "warn", dataDir));
    }

    private void send(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private JsonNode next() throws Exception {
        String line = threads.submit(stdout::readLine).get(30, TimeUnit.SECONDS);
        assertThat(line).as("an answer").isNotNull();
        return JSON.readTree(line);
    }
}
