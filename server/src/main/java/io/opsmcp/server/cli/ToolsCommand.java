package io.opsmcp.server.cli;

import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.server.OpsMcpRuntime;
import io.opsmcp.server.config.OpsMcpConfig;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ops-mcp tools}: prints the registered tools as a table. */
@Command(
        name = "tools",
        mixinStandardHelpOptions = true,
        description = "List the tools this configuration offers: name, toolset, read-only, destructive, summary.")
public final class ToolsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    ToolListOptions toolList;

    @Override
    public Integer call() {
        OpsMcpConfig config = options.load(null, null, null, toolList.flags());
        Main.applyLogging(config);
        try (OpsMcpRuntime runtime = OpsMcpRuntime.start(config)) {
            Main.printWarnings(runtime);
            var tools = runtime.gateway().tools().stream()
                    .sorted(Comparator.comparing(ToolGateway.RegisteredTool::toolset)
                            .thenComparing(t -> t.definition().name()))
                    .toList();
            int nameWidth = Math.max(
                    4,
                    tools.stream()
                            .mapToInt(t -> t.definition().name().length())
                            .max()
                            .orElse(4));
            int setWidth = Math.max(
                    7, tools.stream().mapToInt(t -> t.toolset().length()).max().orElse(7));
            String format = "%-" + nameWidth + "s  %-" + setWidth + "s  %-9s  %-11s  %s%n";
            System.out.printf(format, "NAME", "TOOLSET", "READ-ONLY", "DESTRUCTIVE", "SUMMARY");
            for (ToolGateway.RegisteredTool t : tools) {
                ToolDefinition d = t.definition();
                System.out.printf(
                        format,
                        d.name(),
                        t.toolset(),
                        d.readOnly() ? "yes" : "no",
                        d.destructive() ? "yes" : "no",
                        summary(d.description()));
            }
            int fixtures = runtime.features().tools().size() - tools.size();
            if (fixtures > 0) {
                System.out.printf("(+ %d MCP-level tool(s) from the server's own toolsets)%n", fixtures);
            }
        }
        return 0;
    }

    /** First sentence of the description, cut to 80 characters. */
    static String summary(String description) {
        String first = description.strip().split("(?<=\\.)\\s", 2)[0].replaceAll("\\s+", " ");
        return first.length() <= 80 ? first : first.substring(0, 77) + "...";
    }
}
