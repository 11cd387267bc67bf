package io.opsmcp.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreSafe() {
        ServerSettings s = new ConfigLoader(Map.of())
                .load(null, ConfigLoader.Overrides.NONE)
                .server();
        assertThat(s.transport()).isEqualTo("stdio");
        assertThat(s.bind()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.toolsets()).containsExactly("hosts");
        assertThat(s.resultMaxBytes()).isEqualTo(65536);
        assertThat(s.sandbox()).isFalse();
        assertThat(s.stateless()).as("sessions unless asked").isFalse();
    }

    @Test
    void fileThenEnvironmentThenFlags() throws Exception {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(file, """
                transport: http
                http: {port: 9000, allowed_hosts: [ops.internal:443]}
                limits: {result_max_bytes: 4096, tool_timeout_seconds: 5}
                identity: {id: alice, roles: [sre]}
                hosts: [{name: web-1}]
                """);
        OpsMcpConfig c = new ConfigLoader(Map.of("OPS_MCP_PORT", "9100", "OPS_MCP_TOOLSETS", "hosts, conformance"))
                .load(file, new ConfigLoader.Overrides(null, null, 9200, null, true, null, null));
        ServerSettings s = c.server();
        assertThat(s.transport()).isEqualTo("http");
        assertThat(s.port()).isEqualTo(9200);
        assertThat(s.toolsets()).containsExactly("hosts", "conformance");
        assertThat(s.allowedHosts()).containsExactly("ops.internal:443");
        assertThat(s.toolTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.principalId()).isEqualTo("alice");
        assertThat(s.principalRoles()).containsExactly("sre");
        assertThat(s.sandbox()).isTrue();
        assertThat(c.tree().get("hosts").get(0).get("name").asString()).isEqualTo("web-1");
        assertThat(c.source()).isEqualTo(file.toString());
    }

    @Test
    void oauthAndTelemetryFromTheEnvironmentAloneAsInAContainer() {
        OpsMcpConfig c = new ConfigLoader(Map.of(
                        "OPS_MCP_OAUTH_ISSUER", "https://idp.example.com/realms/ops",
                        "OPS_MCP_OAUTH_RESOURCE", "https://ops.example.com/mcp",
                        "OPS_MCP_METRICS", "yes",
                        "OPS_MCP_TRACES", "off"))
                .load(null, ConfigLoader.Overrides.NONE);
        assertThat(c.oauth()).hasValueSatisfying(o -> {
            assertThat(o.issuer()).isEqualTo("https://idp.example.com/realms/ops");
            assertThat(o.resource()).isEqualTo("https://ops.example.com/mcp");
        });
        // oauth counts as client authentication: the server may bind beyond loopback
        assertThat(c.authenticated()).isTrue();
        assertThat(c.tree().at("/telemetry/metrics/enabled").isBoolean()).isTrue();
        assertThat(c.tree().at("/telemetry/metrics/enabled").asBoolean()).isTrue();
        assertThat(c.tree().at("/telemetry/traces/enabled").asBoolean(true)).isFalse();
        // a half-configured resource server is refused with the field's name, never started open
        assertThatThrownBy(() -> new ConfigLoader(Map.of("OPS_MCP_OAUTH_ISSUER", "https://idp.example.com"))
                        .load(null, ConfigLoader.Overrides.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("oauth.resource");
    }

    @Test
    void configPathFromEnvironment() throws Exception {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, "logging: {level: debug}\n");
        assertThat(new ConfigLoader(Map.of("OPS_MCP_CONFIG", file.toString()))
                        .load(null, ConfigLoader.Overrides.NONE)
                        .server()
                        .logLevel())
                .isEqualTo("debug");
    }

    @Test
    void refusesNonLoopbackBindUntilAuthenticationExists() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of())
                        .load(null, new ConfigLoader.Overrides("http", "0.0.0.0", null, null, null, null, null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.bind: refusing to bind 0.0.0.0 without authentication")
                .hasMessageContaining("loopback");
        assertThat(new ConfigLoader(Map.of())
                        .load(null, new ConfigLoader.Overrides("http", "::1", null, null, null, null, null))
                        .server()
                        .bind())
                .isEqualTo("::1");
    }

    @Test
    void errorsNameTheSettingAndTheRule() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "http: {port: eighty}\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file, ConfigLoader.Overrides.NONE))
                .hasMessage("http.port: must be a whole number, not \"eighty\"");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("OPS_MCP_TRANSPORT", "carrier-pigeon"))
                        .load(null, ConfigLoader.Overrides.NONE))
                .hasMessageContaining("transport: must be one of stdio, http");
        assertThatThrownBy(
                        () -> new ConfigLoader(Map.of()).load(dir.resolve("missing.yaml"), ConfigLoader.Overrides.NONE))
                .hasMessageContaining("does not exist");
        Files.writeString(file, "http: [unclosed\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file, ConfigLoader.Overrides.NONE))
                .hasMessageContaining("is not valid YAML");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("OPS_MCP_RESULT_MAX_BYTES", "10"))
                        .load(null, ConfigLoader.Overrides.NONE))
                .hasMessageContaining("limits.result_max_bytes: must be at least 1024");
    }

    @Test
    void listsFromEnvironmentAreCommaSeparated() {
        assertThat(new ConfigLoader(Map.of("OPS_MCP_ROLES", "sre,sre-lead"))
                        .load(null, ConfigLoader.Overrides.NONE)
                        .server()
                        .principalRoles())
                .containsExactlyInAnyOrder("sre", "sre-lead");
        assertThat(new ConfigLoader(Map.of())
                        .load(null, new ConfigLoader.Overrides(null, null, null, List.of(), null, null, null))
                        .server()
                        .toolsets())
                .isEmpty();
    }

    // ------------------------------------------------------------ unknown keys and types, named with their path

    private static final Set<String> SECTIONS = Set.of("hosts", "ssh", "aws");

    private OpsMcpConfig loadYaml(String yaml) throws Exception {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(Map.of(), SECTIONS).load(file, ConfigLoader.Overrides.NONE);
    }

    private void rejects(String yaml, String message) {
        assertThatThrownBy(() -> loadYaml(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void aMisspeltTopLevelKeyNamesTheValidOnes() {
        rejects(
                "toolset: [hosts, aws]\n",
                "toolset: unknown setting; valid: alerts, auth, aws, control_socket, data_dir, hosts,"
                        + " http, identity, limits, logging, notifications, oauth, policy, principals, rate_limits,"
                        + " sandbox, ssh, store, telemetry, tools, toolsets, transport, ui");
        rejects(
                "transport: stdio\nloging: {level: debug}\n",
                "loging: unknown setting; valid: alerts, auth, aws, control_socket,"
                        + " data_dir, hosts, http, identity, limits, logging, notifications, oauth, policy, principals,"
                        + " rate_limits, sandbox, ssh, store, telemetry, tools, toolsets, transport, ui");
    }

    @Test
    void toolsetSectionsAreValidTopLevelKeysAndLeftToTheirToolset() throws Exception {
        OpsMcpConfig c = loadYaml("""
                toolsets: [hosts]
                ssh: {known_hosts: /dev/null, anything: goes}
                hosts: [{name: web-1}]
                aws: {accounts: []}
                """);
        assertThat(c.tree().get("ssh").get("anything").asString()).isEqualTo("goes");
        // a section no provider on the class path declares is unknown
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), Set.of())
                        .load(dir.resolve("ops-mcp.yaml"), ConfigLoader.Overrides.NONE))
                .hasMessageStartingWith("ssh: unknown setting; valid: alerts, auth, control_socket,");
    }

    @Test
    void theDiscoveredProvidersDeclareTheirSections() {
        assertThat(ConfigLoader.discoverSections())
                .contains("hosts", "ssh", "host_changes", "host_catalog", "runbooks", "aws", "gitlab");
    }

    @Test
    void misspeltNestedKeysNameTheirPath() {
        rejects(
                "http: {prot: 9000}\n",
                "http.prot: unknown setting; valid: allowed_hosts, allowed_origins, bind,"
                        + " max_connections, max_pending_bodies_per_client, max_request_bytes, port, read_timeout_seconds, stateless");
        rejects(
                "limits: {tool_timeout: 5}\n",
                "limits.tool_timeout: unknown setting; valid: max_argument_bytes, result_max_bytes, tool_timeout_seconds");
        rejects("logging: {lvl: debug}\n", "logging.lvl: unknown setting; valid: file, format, level");
        rejects("identity: {name: alice}\n", "identity.name: unknown setting; valid: id, roles");
        rejects("auth: {api_key: []}\n", "auth.api_key: unknown setting; valid: api_keys");
    }

    @Test
    void wrongTypesNameTheirPath() {
        rejects("http: {port: [80]}\n", "http.port: must be a whole number");
        rejects(
                "limits: {tool_timeout_seconds: 1.5}\n",
                "limits.tool_timeout_seconds: must be a whole number, not 1.5");
        rejects("http: 8080\n", "http: must be a mapping");
        rejects("transport: {type: http}\n", "transport: must be a string");
        rejects("identity: {roles: {sre: true}}\n", "identity.roles: must be a list");
        rejects("sandbox: maybe\n", "sandbox: must be a boolean (true or false), not \"maybe\"");
        rejects("http: {stateless: maybe}\n", "http.stateless: must be a boolean (true or false), not \"maybe\"");
    }

    @Test
    void logFormatIsTextOrJsonFromTheFileOrTheEnvironment() throws Exception {
        assertThat(loadYaml("{}\n").server().logFormat()).isEqualTo("text");
        assertThat(loadYaml("logging: {format: JSON}\n").server().logFormat()).isEqualTo("json");
        assertThat(new ConfigLoader(Map.of("OPS_MCP_LOG_FORMAT", "json"))
                        .load(null, ConfigLoader.Overrides.NONE)
                        .server()
                        .logFormat())
                .isEqualTo("json");
        rejects("logging: {format: logfmt}\n", "logging.format: must be one of json, text (got 'logfmt')");
    }

    @Test
    void aBadRateLimitRuleFailsTheLoadNamingTheRuleAndTheField() throws Exception {
        assertThatThrownBy(() -> loadYaml("""
                        rate_limits:
                          - {tools: [ecs_*], calls: 30, per: 1m}
                          - {tools: [host_*], calls: 5, per: often}
                        """))
                .isInstanceOf(io.opsmcp.core.config.InvalidConfigException.class)
                .hasMessageStartingWith("rate_limits[1].per: must be a duration like 90s");
        assertThat(loadYaml("rate_limits: [{tools: [\"*\"], concurrent: 4}]\n")
                        .tree()
                        .get("rate_limits"))
                .hasSize(1);
    }

    @Test
    void discoveryNeedsSessions() {
        rejects(
                "http: {stateless: true}\ntools: {discovery: true}\n",
                "tools.discovery: needs MCP sessions; it cannot be combined with http.stateless");
    }

    @Test
    void statelessFromFileOrEnvironment() throws Exception {
        assertThat(loadYaml("http: {stateless: true}\n").server().stateless()).isTrue();
        assertThat(new ConfigLoader(Map.of("OPS_MCP_HTTP_STATELESS", "on"), SECTIONS)
                        .load(null, ConfigLoader.Overrides.NONE)
                        .server()
                        .stateless())
                .isTrue();
        assertThatThrownBy(() -> new ConfigLoader(Map.of("OPS_MCP_HTTP_STATELESS", "sometimes"), SECTIONS)
                        .load(null, ConfigLoader.Overrides.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessage("http.stateless: must be a boolean (true or false), not \"sometimes\"");
    }

    @Test
    void environmentValuesAreCheckedLikeTheFile() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("OPS_MCP_PORT", "eighty"), SECTIONS)
                        .load(null, ConfigLoader.Overrides.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessage("http.port: must be a whole number, not \"eighty\"");
        assertThat(new ConfigLoader(Map.of("OPS_MCP_SANDBOX", "yes", "OPS_MCP_PORT", "9001"), SECTIONS)
                        .load(null, ConfigLoader.Overrides.NONE)
                        .server())
                .satisfies(s -> {
                    assertThat(s.sandbox()).isTrue();
                    assertThat(s.port()).isEqualTo(9001);
                });
    }

    @Test
    void commaSeparatedListsInTheFileStillWork() throws Exception {
        ServerSettings s = loadYaml("toolsets: hosts, aws\nsandbox: \"on\"\nidentity: {roles: sre}\n")
                .server();
        assertThat(s.toolsets()).containsExactly("hosts", "aws");
        assertThat(s.sandbox()).isTrue();
        assertThat(s.principalRoles()).containsExactly("sre");
    }

    @Test
    void sectionsOwnedElsewhereAreOnlyNamedHere() throws Exception {
        // policy, store, principals, control_socket and the limits HttpLimits/ToolGateway read are checked by their
        // owners; the loader only accepts the names
        OpsMcpConfig c = loadYaml("""
                policy: {engine: embedded}
                store: {type: embedded}
                principals: [{id: bob, roles: [sre-lead]}]
                control_socket: null
                http: {max_request_bytes: 2048, max_connections: 10}
                limits: {max_argument_bytes: 4096}
                """);
        assertThat(c.tree().get("http").get("max_connections").asInt()).isEqualTo(10);
        assertThat(ServerFile.KEYS)
                .containsExactly(
                        "alerts",
                        "auth",
                        "control_socket",
                        "data_dir",
                        "http",
                        "identity",
                        "limits",
                        "logging",
                        "notifications",
                        "oauth",
                        "policy",
                        "principals",
                        "rate_limits",
                        "sandbox",
                        "store",
                        "telemetry",
                        "tools",
                        "toolsets",
                        "transport",
                        "ui");
    }

    @Test
    void notificationsAndTheApprovalPageAreCheckedAtLoad() throws Exception {
        rejects(
                "notifications: {sinks: [{name: chat, type: slack}]}\n",
                "notifications.sinks[0]: set exactly one of url, url_env, url_file");
        rejects(
                "ui: {public_url: 'https://ops.example.com/approvals'}\n",
                "ui.public_url: must be an http(s) origin without path, e.g. https://ops.example.com");
        rejects(
                "ui: {session_tl: 8h}\n",
                "ui.session_tl: unknown setting; valid: api_key_sign_in, oidc, public_url," + " session_ttl");
    }

    @Test
    void alertsAreCheckedAtLoadWithoutReadingTheirSecrets() throws Exception {
        // a CLI command (no OPS_MCP_AM in its environment) loads a file whose receivers the server reads secrets for
        assertThat(loadYaml("alerts: {alertmanager: {bearer_token: {env: OPS_MCP_AM}}}\n")
                        .tree()
                        .path("alerts")
                        .isObject())
                .isTrue();
        rejects(
                "alerts: {gitlab: {}}\n",
                "alerts.gitlab.token: required, the webhook's secret token (sent as X-Gitlab-Token)");
        rejects(
                "alerts: {sns: {topic_arns: [nope]}}\n",
                "alerts.sns.topic_arns[0]: must be an SNS topic ARN like arn:aws:sns:eu-west-1:123456789012:ops-alarms");
    }

    @Test
    void oauthIsCheckedAtLoadAndAuthenticatesLikeApiKeys() throws Exception {
        rejects(
                "oauth: {issuer: http://idp.example.com, resource: https://ops.example.com/mcp}\n",
                "oauth.issuer: must be an https URL (http only for a loopback host)");
        rejects(
                "oauth: {issuer: https://idp.example.com, resource: https://ops.example.com/mcp, algorithms: [HS256]}\n",
                "oauth.algorithms: HS256 needs a secret shared with the authorization server; ops-mcp verifies with"
                        + " its public keys only (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512)");
        Path file = dir.resolve("oauth.yaml");
        Files.writeString(file, "transport: http\nhttp: {bind: 0.0.0.0}\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), SECTIONS).load(file, ConfigLoader.Overrides.NONE))
                .hasMessageContaining("without authentication: configure auth.api_keys")
                .hasMessageContaining("or oauth");
        Files.writeString(
                file,
                "transport: http\nhttp: {bind: 0.0.0.0}\n"
                        + "oauth: {issuer: https://idp.example.com, resource: https://ops.example.com/mcp}\n");
        OpsMcpConfig c = new ConfigLoader(Map.of(), SECTIONS).load(file, ConfigLoader.Overrides.NONE);
        assertThat(c.server().bind()).isEqualTo("0.0.0.0");
        assertThat(c.authenticated()).isTrue();
        assertThat(c.apiKeys().isEmpty()).isTrue();
        assertThat(c.oauth())
                .hasValueSatisfying(o -> assertThat(o.audience()).isEqualTo("https://ops.example.com/mcp"));
        assertThat(loadYaml("transport: stdio\n").oauth()).isEmpty();
    }
}
