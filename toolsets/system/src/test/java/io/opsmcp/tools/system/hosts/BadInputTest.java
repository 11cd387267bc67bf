package io.opsmcp.tools.system.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.catalog.CommandCatalog;
import io.opsmcp.tools.system.config.AccountSettings;
import io.opsmcp.tools.system.config.HostAuth;
import io.opsmcp.tools.system.config.HostEntry;
import io.opsmcp.tools.system.config.HostsConfig;
import io.opsmcp.tools.system.config.MutatingSettings;
import io.opsmcp.tools.system.config.SshSettings;
import io.opsmcp.tools.system.ssh.SshExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Injection attempts in every string parameter are rejected by the tools' own validation before any connection
 * is made (the host points at a closed port, so reaching SSH would fail differently), and the published schema
 * patterns reject them too.
 */
class BadInputTest {

    static final List<String> ATTACKS =
            List.of("x; id", "$(id)", "`id`", "a\nb", "-rf", "--help", "a|b", "a&b", "a b'c", "../../etc", "", "a>b");

    static HostToolset toolset() {
        HostEntry host = new HostEntry(
                "web-1", "127.0.0.1", 1, "ops", new HostAuth.KeyFile(Path.of("/nonexistent")), "web", "prod", null);
        SshSettings ssh = new SshSettings(Path.of("/nonexistent"), Duration.ofSeconds(1), Duration.ofSeconds(1), 4096);
        return new HostToolset(
                new HostsConfig(ssh, List.of(host)),
                CommandCatalog.parse(null),
                MutatingSettings.DEFAULT,
                new AccountSettings(true, 1000, 60000, Set.of()),
                new SshExecutor(ssh, null));
    }

    static OpsTool tool(String name) {
        return toolset().tools().stream()
                .filter(t -> t.definition().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    static Stream<Arguments> stringParameters() {
        return Stream.of(
                Arguments.of("host_disk_usage", "mount"),
                Arguments.of("host_account_status", "user"),
                Arguments.of("host_account_unlock", "user"),
                Arguments.of("host_account_expire", "user"),
                Arguments.of("host_service_status", "unit"),
                Arguments.of("host_journal", "unit"),
                Arguments.of("host_journal", "since"),
                Arguments.of("host_top_processes", "sort_by"),
                Arguments.of("host_memory", "host"));
    }

    @ParameterizedTest
    @MethodSource("stringParameters")
    void injectionInEveryStringParameterIsRejected(String toolName, String field) {
        OpsTool tool = tool(toolName);
        JsonNode schema = tool.definition().inputSchema().get("properties").get(field);
        for (String attack : ATTACKS) {
            ObjectNode args =
                    JsonNodeFactory.instance.objectNode().put("host", "web-1").put("unit", "nginx");
            args.put(field, attack);
            assertThatThrownBy(() -> tool.execute(args, HostToolsContract.ctx()))
                    .as("%s.%s = %s", toolName, field, attack)
                    .isInstanceOf(ToolException.class)
                    .hasMessageStartingWith(field + ": ")
                    .extracting(e -> ((ToolException) e).kind())
                    .isEqualTo(ToolException.Kind.INVALID_ARGUMENT);
            assertThat(schemaAccepts(schema, attack))
                    .as("schema of %s.%s accepts %s", toolName, field, attack)
                    .isFalse();
        }
    }

    static boolean schemaAccepts(JsonNode property, String value) {
        if (property.has("enum")) {
            for (JsonNode e : property.get("enum")) {
                if (e.asString().equals(value)) {
                    return true;
                }
            }
            return false;
        }
        return value.length() >= property.path("minLength").asInt(0)
                && Pattern.compile(property.get("pattern").asString())
                        .matcher(value)
                        .find();
    }

    @Test
    void wrongTypesAndRangesAreRejected() {
        ObjectNode lines = JsonNodeFactory.instance
                .objectNode()
                .put("host", "web-1")
                .put("unit", "nginx")
                .put("lines", 5000);
        assertThatThrownBy(() -> tool("host_journal").execute(lines, HostToolsContract.ctx()))
                .hasMessage("lines: must be 1..1000");
        ObjectNode limit =
                JsonNodeFactory.instance.objectNode().put("host", "web-1").put("limit", "10");
        assertThatThrownBy(() -> tool("host_top_processes").execute(limit, HostToolsContract.ctx()))
                .hasMessageStartingWith("limit: must be an integer");
        ObjectNode missing = JsonNodeFactory.instance.objectNode().put("host", "web-1");
        assertThatThrownBy(() -> tool("host_service_status").execute(missing, HostToolsContract.ctx()))
                .hasMessage("unit: is required");
    }

    @Test
    void everyInputSchemaIsClosedAndEveryStringIsConstrained() {
        for (OpsTool t : toolset().tools()) {
            ObjectNode schema = t.definition().inputSchema();
            assertThat(schema.get("additionalProperties").asBoolean())
                    .as(t.definition().name())
                    .isFalse();
            String name = t.definition().name();
            boolean serviceControl = name.startsWith("host_service_re");
            boolean accountChange = name.equals("host_account_unlock") || name.equals("host_account_expire");
            assertThat(t.definition().readOnly()).as(name).isEqualTo(!serviceControl && !accountChange);
            // restart and reload interrupt the service, an unlock lets a user in again: destructiveHint, so hosts
            // never auto-approve them; to the policy they are not destructive (they remove nothing), so the hint does
            // not change who must approve. Expiring an account cuts a user off: destructive for the policy too.
            assertThat(t.definition().annotations().destructiveHint())
                    .as(name)
                    .isEqualTo(serviceControl || accountChange);
            assertThat(t.definition().destructive()).as(name).isEqualTo(name.equals("host_account_expire"));
            assertThat(t.definition().outputSchema()).isNotNull();
            for (var p : schema.get("properties").properties()) {
                if (p.getValue().get("type").asString().equals("string")) {
                    assertThat(p.getValue().has("pattern") || p.getValue().has("enum"))
                            .as(t.definition().name() + "." + p.getKey())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void validSinceFormsPassTheSchemaPatternAndTheOldJournalctlFormsAreRefused() {
        Pattern since = Pattern.compile(tool("host_journal")
                .definition()
                .inputSchema()
                .get("properties")
                .get("since")
                .get("pattern")
                .asString());
        for (String ok : List.of(
                "30s",
                "15min",
                "15m",
                "2h",
                "1d",
                "1h30m",
                "PT15M",
                "2025-01-31",
                "2025-01-31T13:45:10Z",
                "2025-01-31T13:45:10+01:00")) {
            assertThat(since.matcher(ok).matches()).as(ok).isTrue();
        }
        // the toolkit's one grammar replaced journalctl's own forms (and times without a zone, read on the host); the
        // published pattern is a short superset of the grammar, so the reader is what refuses them, naming the grammar
        for (String refused : List.of("10 minutes ago", "today", "yesterday", "2025-01-31 13:45")) {
            ObjectNode args = JsonNodeFactory.instance
                    .objectNode()
                    .put("host", "web-1")
                    .put("unit", "nginx")
                    .put("since", refused);
            assertThatThrownBy(() -> tool("host_journal").execute(args, HostToolsContract.ctx()))
                    .isInstanceOf(ToolException.class)
                    .hasMessageStartingWith("since: must be a duration like");
        }
    }
}
