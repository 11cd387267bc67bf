package io.opsmcp.server.cli;

import picocli.CommandLine.Command;

/**
 * {@code ops-mcp}: the top-level command; its subcommands do the work. The app module adds {@code demo}
 * ({@link Main#run(java.util.List, String...)}).
 */
@Command(
        name = "ops-mcp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "MCP server for operations: Linux hosts over SSH (and, as they are added, AWS and GitLab),"
                + " every call validated, capped, redacted and audited.",
        subcommands = {
            ServeCommand.class,
            ToolsCommand.class,
            AuthCommand.class,
            PolicyCommand.class,
            AuditCommand.class,
            ApprovalsCommand.class,
            ClientConfigCommand.class
        })
public final class OpsMcpCommand {}
