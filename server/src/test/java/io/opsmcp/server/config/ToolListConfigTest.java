package io.opsmcp.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tools:} in the file, {@code OPS_MCP_*} and the tool-list flags: precedence, patterns and their errors. */
class ToolListConfigTest {

    @TempDir
    Path dir;

    private ToolListSettings load(String yaml, Map<String, String> env, ConfigLoader.ToolFlags flags) throws Exception {
        Path file = dir.resolve("ops-mcp.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader(env, Set.of())
                .load(file, new ConfigLoader.Overrides(null, null, null, null, null, null, null, flags))
                .server()
                .tools();
    }

    @Test
    void defaultsPublishEveryToolWithoutDiscovery() throws Exception {
        ToolListSettings t = load("", Map.of(), ConfigLoader.ToolFlags.NONE);
        assertThat(t.readOnly()).isFalse();
        assertThat(t.include()).isNull();
        assertThat(t.exclude()).isEmpty();
        assertThat(t.discovery()).isFalse();
        assertThat(t.filters()).isFalse();
    }

    @Test
    void theFileIsReadAndFlagsReplaceItsLists() throws Exception {
        String yaml = """
                tools:
                  read_only: true
                  include: [ecs_*, host_*]
                  exclude: [host_service_*]
                  discovery: true
                  always_on: [hosts]
                """;
        ToolListSettings file = load(yaml, Map.of(), ConfigLoader.ToolFlags.NONE);
        assertThat(file.readOnly()).isTrue();
        assertThat(file.include()).containsExactly("ecs_*", "host_*");
        assertThat(file.exclude()).containsExactly("host_service_*");
        assertThat(file.discovery()).isTrue();
        assertThat(file.alwaysOn()).containsExactly("hosts");

        ToolListSettings flags =
                load(yaml, Map.of(), new ConfigLoader.ToolFlags(false, List.of("gitlab_*"), List.of("x_*"), false));
        assertThat(flags.readOnly()).isFalse();
        assertThat(flags.include()).containsExactly("gitlab_*");
        assertThat(flags.exclude()).containsExactly("x_*");
        assertThat(flags.discovery()).isFalse();
    }

    @Test
    void environmentSwitchesAndCommaSeparatedPatterns() throws Exception {
        ToolListSettings t = load(
                "tools: {read_only: false}\n",
                Map.of("OPS_MCP_READ_ONLY", "yes", "OPS_MCP_TOOLS_INCLUDE", "ecs_*, host_*"),
                ConfigLoader.ToolFlags.NONE);
        assertThat(t.readOnly()).isTrue();
        assertThat(t.include()).containsExactly("ecs_*", "host_*");
    }

    @Test
    void aPatternWithIllegalCharactersNamesTheFieldAndTheRule() {
        assertThatThrownBy(() -> load("tools: {include: [ecs_*, 'ecs-*']}\n", Map.of(), ConfigLoader.ToolFlags.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tools.include[1]: 'ecs-*' is not a tool name pattern")
                .hasMessageContaining("lower-case letters, digits, _ and *");
        assertThatThrownBy(() -> load(
                        "",
                        Map.of(),
                        new ConfigLoader.ToolFlags(null, null, List.of("host_service_*", "Host.*"), null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("tools.exclude[1]: 'Host.*' is not a tool name pattern");
        assertThatThrownBy(() -> load("tools: {exclude: ['']}\n", Map.of(), ConfigLoader.ToolFlags.NONE))
                .hasMessageStartingWith("tools.exclude[0]: '' is not a tool name pattern");
    }

    @Test
    void unknownKeysAndWrongTypesInToolsAreErrors() {
        assertThatThrownBy(() -> load("tools: {readonly: true}\n", Map.of(), ConfigLoader.ToolFlags.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tools.readonly")
                .hasMessageContaining("read_only");
        assertThatThrownBy(() -> load("tools: {discovery: maybe}\n", Map.of(), ConfigLoader.ToolFlags.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tools.discovery");
    }

    @Test
    void globStarMatchesAnyRunAndEverythingElseIsLiteral() {
        assertThat(ToolListSettings.matches("ecs_*", "ecs_list_services")).isTrue();
        assertThat(ToolListSettings.matches("ecs_*", "aws_whoami")).isFalse();
        assertThat(ToolListSettings.matches("*_status", "host_service_status")).isTrue();
        assertThat(ToolListSettings.matches("host_*_status", "host_service_status"))
                .isTrue();
        assertThat(ToolListSettings.matches("host_*_status", "host_service_restart"))
                .isFalse();
        assertThat(ToolListSettings.matches("*", "anything")).isTrue();
        assertThat(ToolListSettings.matches("host_list", "host_list")).isTrue();
        assertThat(ToolListSettings.matches("host_list", "host_list_all")).isFalse();
        assertThat(ToolListSettings.matches("a*b*c", "axxbyyc")).isTrue();
        assertThat(ToolListSettings.matches("a*b*c", "axxbyy")).isFalse();
    }
}
