package io.opsmcp.app;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small MCP client (MCP Java SDK, streamable HTTP) that does what an AI assistant would do first on a
 * host someone says is misbehaving: list the tools, then look at load, disk, memory, a service and the
 * busiest processes. It prints a transcript of every request and the server's answer.
 *
 * <p>{@code ops-mcp demo} runs it against a sandboxed server. Against your own server, from the jar:
 * {@code java -cp ops-mcp.jar -Dloader.main=io.opsmcp.app.HostInvestigation
 * org.springframework.boot.loader.launch.PropertiesLauncher http://127.0.0.1:8080 HOST [UNIT]}.
 */
public final class HostInvestigation {

    /** What one investigation step asks for. */
    public record Step(String tool, Map<String, Object> arguments, String why) {}

    private final String baseUrl;
    private final PrintStream out;

    /**
     * @param baseUrl server base URL without the endpoint, e.g. {@code http://127.0.0.1:8080}
     * @param out     where the transcript goes
     */
    public HostInvestigation(String baseUrl, PrintStream out) {
        this.baseUrl = baseUrl;
        this.out = out;
    }

    /** The default investigation of one host. */
    public static List<Step> stepsFor(String host, String unit) {
        return List.of(
                new Step("host_list", Map.of(), "which hosts may I look at?"),
                new Step("host_uptime_load", Map.of("host", host), "is the machine overloaded?"),
                new Step("host_disk_usage", Map.of("host", host), "is a disk full?"),
                new Step("host_memory", Map.of("host", host), "is memory short?"),
                new Step("host_service_status", Map.of("host", host, "unit", unit), "is the service up?"),
                new Step(
                        "host_top_processes",
                        ordered("host", host, "sort_by", "cpu", "limit", 5),
                        "what is using the CPU?"));
    }

    /**
     * Connects, lists tools, runs the steps and prints everything.
     *
     * @return the number of steps whose tool returned an error ({@code isError}); protocol failures throw
     */
    public int run(List<Step> steps) {
        try (Session session = connect()) {
            session.listTools();
            int failures = 0;
            for (Step step : steps) {
                if (session.call(step).isError() == Boolean.TRUE) {
                    failures++;
                }
            }
            out.printf("%n%d of %d steps answered without error.%n", steps.size() - failures, steps.size());
            return failures;
        }
    }

    /** Opens an MCP session (initialize done) that prints what it does. */
    public Session connect() {
        return connect(uri -> {});
    }

    /**
     * As {@link #connect()}; {@code updated} is called with the URI of every {@code notifications/resources/updated}
     * of a subscribed resource (after the SDK re-read it), on the SDK's thread.
     */
    public Session connect(java.util.function.Consumer<String> updated) {
        var transport = HttpClientStreamableHttpTransport.builder(baseUrl)
                .endpoint("/mcp")
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("ops-mcp-host-investigation", "1.0"))
                .requestTimeout(Duration.ofSeconds(60))
                .resourcesUpdateConsumer(contents -> contents.forEach(c -> updated.accept(c.uri())))
                .build();
        McpSchema.InitializeResult init = client.initialize();
        out.printf(
                "connected to %s %s at %s/mcp (protocol %s)%n",
                init.serverInfo().name(), init.serverInfo().version(), baseUrl, init.protocolVersion());
        return new Session(client);
    }

    /** One connected client session. */
    public final class Session implements AutoCloseable {
        private final McpSyncClient client;

        private Session(McpSyncClient client) {
            this.client = client;
        }

        /** Lists the tools and prints them. */
        public List<McpSchema.Tool> listTools() {
            List<McpSchema.Tool> tools = client.listTools().tools();
            out.printf("%n> tools/list%n%d tools:%n", tools.size());
            for (McpSchema.Tool tool : tools) {
                McpSchema.ToolAnnotations a = tool.annotations();
                String kind = a != null && Boolean.TRUE.equals(a.readOnlyHint())
                        ? "[read-only]   "
                        : a != null && Boolean.TRUE.equals(a.destructiveHint()) ? "[destructive] " : "[changes]     ";
                out.printf("  %-26s %s%s%n", tool.name(), kind, firstSentence(tool.description()));
            }
            return tools;
        }

        /** Calls one tool and prints the request and the text of the answer. */
        public McpSchema.CallToolResult call(Step step) {
            out.printf("%n> tools/call %s %s   (%s)%n", step.tool(), step.arguments(), step.why());
            McpSchema.CallToolResult result =
                    client.callTool(new McpSchema.CallToolRequest(step.tool(), step.arguments()));
            if (Boolean.TRUE.equals(result.isError())) {
                out.println("  [tool error]");
            }
            for (McpSchema.Content content : result.content()) {
                if (content instanceof McpSchema.TextContent text) {
                    text.text().lines().forEach(line -> out.println("  " + line));
                }
            }
            return result;
        }

        /** {@code resources/subscribe}. */
        public void subscribe(String uri) {
            out.printf("%n> resources/subscribe %s%n", uri);
            client.subscribeResource(new McpSchema.SubscribeRequest(uri));
        }

        /** {@code resources/read}; the text of the first content, printed. */
        public String read(String uri) {
            out.printf("%n> resources/read %s%n", uri);
            McpSchema.ReadResourceResult result = client.readResource(new McpSchema.ReadResourceRequest(uri));
            String text = result.contents().isEmpty()
                            || !(result.contents().get(0) instanceof McpSchema.TextResourceContents t)
                    ? ""
                    : t.text();
            text.lines().forEach(line -> out.println("  " + line));
            return text;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put((String) kv[i], kv[i + 1]);
        }
        return map;
    }

    private static String firstSentence(String text) {
        if (text == null) {
            return "";
        }
        String first = text.strip().split("(?<=\\.)\\s", 2)[0].replaceAll("\\s+", " ");
        return first.length() <= 90 ? first : first.substring(0, 87) + "...";
    }

    /** Command line: {@code BASE_URL HOST [UNIT]}; exit 0 when every step succeeded. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println(
                    "usage: HostInvestigation BASE_URL HOST [UNIT]   e.g. http://127.0.0.1:8080 web-1 nginx");
            System.exit(2);
        }
        int failures =
                new HostInvestigation(args[0], System.out).run(stepsFor(args[1], args.length > 2 ? args[2] : "ssh"));
        System.exit(failures == 0 ? 0 : 1);
    }
}
