package io.opsmcp.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The server's own settings, after defaults, {@code ops-mcp.yaml}, environment variables and command-line
 * flags have been applied (later wins). Toolset settings stay in {@link OpsMcpConfig#tree()}.
 *
 * @param transport       {@code stdio} or {@code http}
 * @param bind            HTTP bind address; loopback only unless API keys or OAuth are configured
 * @param port            HTTP port, 0 for a random free port
 * @param allowedHosts    extra {@code Host} header values accepted over HTTP (DNS-rebinding protection), e.g.
 *                        {@code ops.example.com:443}; loopback names are always accepted
 * @param allowedOrigins  extra {@code Origin} values accepted over HTTP, e.g. {@code https://ide.example.com}
 * @param dataDir         where state lives (the embedded database with approvals and the audit log, {@code audit-checkpoints.jsonl}, the control socket, sandbox keys)
 * @param toolsets        enabled toolset names
 * @param resultMaxBytes  cap on a tool result's text, in bytes of UTF-8
 * @param toolTimeout     per-call deadline
 * @param logLevel        server log level (trace, debug, info, warn, error)
 * @param logFile         optional log file; logs go to stderr otherwise, never to stdout
 * @param logFormat       {@code text} or {@code json} ({@code logging.format})
 * @param principalId     identity of the local (stdio) user
 * @param principalRoles  roles of the local user
 * @param sandbox         start the embedded sandbox host
 * @param tools           which tools are published, and discovery mode
 * @param stateless       HTTP without MCP sessions ({@code http.stateless}): any replica answers any request; legacy
 *                        SSE is off
 */
public record ServerSettings(
        String transport,
        String bind,
        int port,
        List<String> allowedHosts,
        List<String> allowedOrigins,
        Path dataDir,
        List<String> toolsets,
        int resultMaxBytes,
        Duration toolTimeout,
        String logLevel,
        Path logFile,
        String logFormat,
        String principalId,
        Set<String> principalRoles,
        boolean sandbox,
        ToolListSettings tools,
        boolean stateless) {

    public static final Set<String> TRANSPORTS = Set.of("stdio", "http");
    public static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");
    public static final Set<String> LOG_FORMATS = Set.of("text", "json");

    public ServerSettings {
        allowedHosts = List.copyOf(allowedHosts);
        allowedOrigins = List.copyOf(allowedOrigins);
        toolsets = List.copyOf(toolsets);
        principalRoles = Set.copyOf(principalRoles);
    }

    /** These settings with {@code stateless} as given ({@code serve --stateless}). */
    public ServerSettings withStateless(boolean stateless) {
        return new ServerSettings(
                transport,
                bind,
                port,
                allowedHosts,
                allowedOrigins,
                dataDir,
                toolsets,
                resultMaxBytes,
                toolTimeout,
                logLevel,
                logFile,
                logFormat,
                principalId,
                principalRoles,
                sandbox,
                tools,
                stateless);
    }

    /**
     * Checks the combination of settings.
     *
     * @param authenticated whether HTTP clients must present an API key or an OAuth access token; only then may
     *                      HTTP bind a non-loopback address
     * @throws ConfigException naming the setting and the rule that failed
     */
    public ServerSettings validate(boolean authenticated) {
        if (!TRANSPORTS.contains(transport)) {
            throw new ConfigException("transport: must be one of stdio, http (got '" + transport + "')");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("http.port: must be 0..65535 (got " + port + ")");
        }
        if (resultMaxBytes < 1024) {
            throw new ConfigException("limits.result_max_bytes: must be at least 1024 (got " + resultMaxBytes + ")");
        }
        if (toolTimeout.isNegative() || toolTimeout.isZero()) {
            throw new ConfigException("limits.tool_timeout_seconds: must be positive");
        }
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new ConfigException("logging.level: must be one of "
                    + String.join(", ", LOG_LEVELS.stream().sorted().toList()) + " (got '" + logLevel + "')");
        }
        if (!LOG_FORMATS.contains(logFormat)) {
            throw new ConfigException("logging.format: must be one of json, text (got '" + logFormat + "')");
        }
        tools.validate();
        if (stateless && tools.discovery()) {
            // Discovery mode keeps each session's enabled toolsets; a stateless server has no sessions to keep
            // them in, so toolset_enable could never take effect.
            throw new ConfigException("tools.discovery: needs MCP sessions; it cannot be combined with http.stateless");
        }
        if ("http".equals(transport) && !authenticated) {
            requireLoopback(bind);
        }
        return this;
    }

    private static void requireLoopback(String bind) {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new ConfigException("http.bind: '" + bind + "' is not an address of this machine");
        }
        if (!address.isLoopbackAddress()) {
            throw new ConfigException("http.bind: refusing to bind " + bind + " without authentication: configure"
                    + " auth.api_keys (clients then send Authorization: Bearer KEY) or oauth (OAuth 2.1 access"
                    + " tokens), or bind a loopback address (127.0.0.1 or ::1).");
        }
    }
}
