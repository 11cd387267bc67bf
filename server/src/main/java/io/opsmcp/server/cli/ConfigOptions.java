package io.opsmcp.server.cli;

import io.opsmcp.server.config.ConfigLoader;
import io.opsmcp.server.config.OpsMcpConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every command that loads the configuration. */
public final class ConfigOptions {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Configuration file (ops-mcp.yaml). Default: $OPS_MCP_CONFIG, else built-in defaults.")
    Path config;

    @Option(
            names = "--toolsets",
            split = ",",
            paramLabel = "NAME",
            description = "Toolsets to enable, comma-separated (default: hosts).")
    List<String> toolsets;

    @Option(
            names = "--sandbox",
            description = "Start an embedded SSH server on loopback and register it as host"
                    + " 'sandbox' (runs the diagnostics on this machine).")
    Boolean sandbox;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where state is kept (audit log, sandbox keys).")
    Path dataDir;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "trace, debug, info, warn, error or off.")
    String logLevel;

    OpsMcpConfig load(String transport, String bind, Integer port) {
        return load(transport, bind, port, ConfigLoader.ToolFlags.NONE);
    }

    OpsMcpConfig load(String transport, String bind, Integer port, ConfigLoader.ToolFlags tools) {
        return new ConfigLoader(Map.copyOf(System.getenv()))
                .load(
                        config,
                        new ConfigLoader.Overrides(transport, bind, port, toolsets, sandbox, logLevel, dataDir, tools));
    }
}
