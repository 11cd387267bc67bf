package io.opsmcp.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.opsmcp.examples.clients.HostInvestigation;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.http.HttpTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops-mcp demo}: starts the server with {@code --sandbox} over streamable HTTP on a random loopback
 * port, runs a short host investigation with a real MCP client (MCP Java SDK) and prints the transcript.
 * Needs no configuration and touches nothing outside a temporary data directory.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run ops-mcp against its own sandbox host with a real MCP client and print the transcript.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--unit", paramLabel = "UNIT", defaultValue = "ssh",
            description = "Service whose status the investigation checks (default: ${DEFAULT-VALUE}).")
    String unit;

    @Override
    public Integer call() throws Exception {
        Path dataDir = Files.createTempDirectory("ops-mcp-demo-");
        OpsMcpConfig config = new ConfigLoader(Map.of()).load(null, new ConfigLoader.Overrides(
                "http", "127.0.0.1", 0, List.of("hosts"), true, "warn", dataDir));
        Main.applyLogging(config);
        System.out.println("== ops-mcp demo ==");
        System.out.println("Starting ops-mcp with a sandbox host (embedded SSH server on loopback running commands"
                + " on this machine), streamable HTTP on 127.0.0.1, data in " + dataDir);
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(config);
             HttpTransport http = HttpTransport.start(runtime)) {
            int failures = new HostInvestigation("http://127.0.0.1:" + http.port(), System.out)
                    .run(HostInvestigation.stepsFor("sandbox", unit));
            System.out.println("Audit log: " + dataDir.resolve("audit.jsonl") + " ("
                    + Files.readAllLines(dataDir.resolve("audit.jsonl")).size() + " records)");
            return failures == 0 ? 0 : 1;
        }
    }
}
