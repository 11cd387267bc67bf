package io.opsmcp.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * The server's own top-level keys of {@code ops-mcp.yaml} as written, before defaults ({@code null}: not set). Bound
 * by {@link io.opsmcp.toolkit.config.ConfigBinding}, so a key that is not declared here (or by a toolset, see
 * {@link io.opsmcp.core.tool.OpsToolsetProvider#settingsSections()}) is an error naming it and the valid ones.
 * Sections typed {@link JsonNode} are owned and checked by the code that reads them ({@code auth.api_keys}:
 * {@code ApiKeys}, {@code principals}: {@code Principals}, {@code control_socket}: {@code ControlSocket},
 * {@code policy}: {@code PolicyEngines}, {@code store}: {@code Stores}, {@code rate_limits}: {@code RateLimitRule},
 * {@code telemetry}: {@code TelemetrySettings}, {@code oauth}: {@code OAuthSettings}); here they are only known names.
 *
 * @param transport     {@code stdio} or {@code http}
 * @param http          the HTTP transport
 * @param dataDir       where state lives
 * @param toolsets      enabled toolsets
 * @param limits        per-call limits
 * @param logging       server log
 * @param identity      the local (stdio) user
 * @param sandbox       start the simulated systems
 * @param auth          HTTP authentication
 * @param principals    approvers
 * @param controlSocket the CLI's control socket path
 * @param policy        the policy engine
 * @param store         the audit and approvals store
 * @param tools         which tools are published, and discovery mode
 * @param rateLimits    per-principal rate and concurrency limits (checked by {@code RateLimitRule})
 * @param telemetry     traces and metrics (read and checked by {@code io.opsmcp.telemetry.TelemetrySettings})
 * @param oauth         OAuth 2.1 access tokens (read and checked by {@code io.opsmcp.oauth.OAuthSettings})
 * @param alerts        webhook receivers and alert retention (read and checked by {@code io.opsmcp.alerts.AlertSettings})
 * @param notifications approval notifications (read and checked by {@code io.opsmcp.notify.NotificationSettings})
 * @param ui            the approval page (read and checked by {@code io.opsmcp.server.ui.UiSettings})
 */
public record ServerFile(
        String transport,
        Http http,
        String dataDir,
        List<String> toolsets,
        Limits limits,
        Logging logging,
        Identity identity,
        Boolean sandbox,
        Auth auth,
        JsonNode principals,
        JsonNode controlSocket,
        JsonNode policy,
        JsonNode store,
        Tools tools,
        JsonNode rateLimits,
        JsonNode telemetry,
        JsonNode oauth,
        JsonNode alerts,
        JsonNode notifications,
        JsonNode ui) {

    /** The top-level keys above, snake_case as in the file. */
    public static final Set<String> KEYS = Arrays.stream(ServerFile.class.getRecordComponents())
            .map(c -> snakeCase(c.getName()))
            .collect(Collectors.toCollection(TreeSet::new));

    /**
     * {@code http:}. The four limits are read and range-checked by {@code HttpLimits}.
     *
     * @param bind           bind address
     * @param port           port, 0 for any free one
     * @param allowedHosts   extra {@code Host} values
     * @param allowedOrigins extra {@code Origin} values
     * @param stateless      serve streamable HTTP without sessions (replicas behind a load balancer)
     */
    public record Http(
            String bind,
            Integer port,
            List<String> allowedHosts,
            List<String> allowedOrigins,
            JsonNode maxRequestBytes,
            JsonNode readTimeoutSeconds,
            JsonNode maxPendingBodiesPerClient,
            JsonNode maxConnections,
            Boolean stateless) {}

    /**
     * {@code limits:}. {@code max_argument_bytes} is read and checked by {@code ToolGateway}.
     *
     * @param resultMaxBytes     cap on a tool result's text
     * @param toolTimeoutSeconds per-call deadline
     */
    public record Limits(Integer resultMaxBytes, JsonNode maxArgumentBytes, Integer toolTimeoutSeconds) {}

    /**
     * {@code logging:}.
     *
     * @param level  log level
     * @param file   log file instead of stderr
     * @param format {@code text} (default) or {@code json} (one JSON object per line, Logback's JsonEncoder)
     */
    public record Logging(String level, String file, String format) {}

    /**
     * {@code identity:}.
     *
     * @param id    the local user's principal id
     * @param roles its roles
     */
    public record Identity(String id, List<String> roles) {}

    /**
     * {@code tools:} (see {@link ToolListSettings}).
     *
     * @param readOnly  only read-only tools
     * @param include   name patterns a tool must match one of
     * @param exclude   name patterns that remove a tool
     * @param discovery start each session with {@code toolsets_list} and {@code toolset_enable} only
     * @param alwaysOn  toolsets listed from the start in discovery mode
     */
    public record Tools(
            Boolean readOnly, List<String> include, List<String> exclude, Boolean discovery, List<String> alwaysOn) {}

    /** {@code auth:}; the keys' entries are checked by {@code ApiKeys}. */
    public record Auth(JsonNode apiKeys) {}

    static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
