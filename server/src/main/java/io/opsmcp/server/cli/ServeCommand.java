package io.opsmcp.server.cli;

import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.http.HttpTransport;
import io.opsmcp.server.stdio.StdioTransport;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ops-mcp serve}: runs the MCP server on stdio or HTTP until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Serve MCP over stdio (for a local client) or HTTP (streamable HTTP at /mcp, legacy SSE at /sse).")
public final class ServeCommand implements Callable<Integer> {

    @Option(
            names = {"-t", "--transport"},
            paramLabel = "stdio|http",
            description = "Transport (default: stdio, or 'transport' in the configuration).")
    String transport;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            description = "HTTP bind address (default 127.0.0.1; loopback only unless auth.api_keys or oauth is set).")
    String bind;

    @Option(
            names = {"-p", "--port"},
            paramLabel = "PORT",
            description = "HTTP port (default 8080; 0 = any free port).")
    Integer port;

    @Option(
            names = "--stateless",
            description = "HTTP without MCP sessions (http.stateless): for replicas behind a load balancer;"
                    + " legacy SSE is off. Approvals and audit must then be in a shared store (PostgreSQL).")
    boolean stateless;

    @Mixin
    ConfigOptions options;

    @Mixin
    ToolListOptions toolList;

    @Override
    public Integer call() throws Exception {
        OpsMcpConfig config = options.load(transport, bind, port, toolList.flags());
        if (stateless) {
            config = new OpsMcpConfig(
                    config.server().withStateless(true).validate(config.authenticated()),
                    config.apiKeys(),
                    config.tree(),
                    config.source(),
                    config.oauth());
        }
        Main.applyLogging(config);
        if ("stdio".equals(config.server().transport())) {
            // A stdio client starts the server for each session and waits for its initialize answer: the transport
            // answers it as soon as it arrives, from the configuration alone, while the runtime is built; the store
            // and policy open after that (the first call waits for them). The transport's JSON mapper is made beside
            // all that; not before the logging is set up: SLF4J hands a thread that asks for a logger while another
            // one initializes it a substitute factory, which LogSetup cannot configure.
            StdioTransport transport =
                    StdioTransport.open(StdioTransport.prepareJson(), OpsMcpRuntime.identity(config));
            try (OpsMcpRuntime runtime = OpsMcpRuntime.startLazily(config)) {
                Main.printWarnings(runtime);
                transport.serve(runtime);
                return 0;
            }
        }
        // HTTP starts whole before it listens.
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(config)) {
            Main.printWarnings(runtime);
            CountDownLatch stop = new CountDownLatch(1);
            try (HttpTransport http = HttpTransport.start(runtime)) {
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "ops-mcp-shutdown"));
                System.err.printf(
                        "ops-mcp listening on http://%s:%d (%s)%n",
                        config.server().bind(),
                        http.port(),
                        config.server().stateless()
                                ? "stateless streamable HTTP " + HttpTransport.MCP_ENDPOINT + ", no SSE"
                                : "streamable HTTP " + HttpTransport.MCP_ENDPOINT + ", SSE "
                                        + HttpTransport.SSE_ENDPOINT);
                stop.await();
            }
            return 0;
        }
    }
}
