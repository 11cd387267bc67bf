package io.opsmcp.tools.system.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ShippedRead;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class CommandCatalogTest {

    static JsonNode yaml(String text) {
        return YAMLMapper.builder().build().readTree(text);
    }

    @Test
    void shipsTheDefaultsAndOperatorsAddReplaceAndDisable() {
        assertThat(CommandCatalog.parse(null).entries())
                .extracting(CatalogEntry::name)
                .containsExactly(
                        "tail_file",
                        "listening_ports",
                        "http_probe",
                        "nginx_config_test",
                        "certificate_expiry",
                        "dns_lookup",
                        "kernel_messages",
                        "docker_ps");
        CommandCatalog c = CommandCatalog.parse(yaml("""
                host_catalog:
                  disable: [docker_ps]
                  commands:
                    - name: tail_file
                      description: Tail app logs too.
                      argv: [tail, -n, "${lines}", --, "${path}"]
                      parameters:
                        path: {type: path, required: true, globs: ["/var/log/**", "/srv/app/logs/*.log"], description: p}
                        lines: {type: integer, min: 1, max: 100, default: 50, description: l}
                    - name: redis_info
                      description: Redis INFO section.
                      argv: [redis-cli, info, "${section}"]
                      parameters:
                        section: {type: enum, values: [memory, clients, replication], default: memory, description: s}
                """));
        assertThat(c.entries())
                .extracting(CatalogEntry::name)
                .contains("tail_file", "redis_info")
                .doesNotContain("docker_ps");
        CatalogEntry tail = c.entries().stream()
                .filter(e -> e.name().equals("tail_file"))
                .findFirst()
                .orElseThrow();
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("host", "h").put("path", "/srv/app/logs/a.log");
        assertThat(tail.render(tail.bind(args)).argv())
                .containsExactly("tail", "-n", "50", "--", "/srv/app/logs/a.log");
    }

    @Test
    void optionalParametersWithoutDefaultDropTheirElement() {
        CatalogEntry e = CommandCatalog.entry(yaml("""
                name: journal_since
                description: d
                argv: [journalctl, --no-pager, "--since=${since}", -n, "20"]
                parameters:
                  since: {type: regex, pattern: '[0-9]{4}-[0-9]{2}-[0-9]{2}', description: s}
                """), "x");
        assertThat(e.render(e.bind(JsonNodeFactory.instance.objectNode())).argv())
                .containsExactly("journalctl", "--no-pager", "-n", "20");
        assertThat(e.render(e.bind(JsonNodeFactory.instance.objectNode().put("since", "2025-01-31")))
                        .argv())
                .contains("--since=2025-01-31");
    }

    @Test
    void badEntriesNameTheSettingAndTheRule() {
        assertThatThrownBy(() -> CommandCatalog.entry(yaml("""
                name: bad
                description: d
                argv: [sh, -c, "tail ${path}"]
                parameters:
                  path: {type: path, globs: ["/var/log/**"], description: p}
                """), "host_catalog.commands[0]"))
                .hasMessageStartingWith(
                        "host_catalog.commands[0].argv[2]: parameters must not be spliced into a shell");
        assertThatThrownBy(() -> CommandCatalog.entry(yaml("""
                name: bad
                description: d
                argv: [echo, "${nope}"]
                """), "c"))
                .hasMessageStartingWith("c.argv[1]: ${nope} is not a parameter");
        assertThatThrownBy(() -> CommandCatalog.entry(yaml("""
                name: bad
                description: d
                argv: [echo, "${n}"]
                parameters:
                  n: {type: integer, min: -5, max: 5, description: n}
                """), "c")).hasMessageContaining("min must be >= 0");
        assertThatThrownBy(() -> CommandCatalog.entry(yaml("""
                name: bad
                description: d
                argv: [echo, "${v}"]
                parameters:
                  v: {type: enum, values: ["-rf"], description: v}
                """), "c")).hasMessageContaining("must not start with '-'");
        assertThatThrownBy(() -> CommandCatalog.parse(yaml("host_catalog: {disable: [nope]}")))
                .hasMessageStartingWith("host_catalog.disable[0]: 'nope' is not a shipped command");
        assertThatThrownBy(() -> CommandCatalog.parse(yaml("host_catalog: {comands: []}")))
                .hasMessage("host_catalog.comands: unknown setting; valid: commands, disable, include_defaults");
        assertThatThrownBy(() -> CommandCatalog.parse(yaml("host_catalog: {include_defaults: maybe}")))
                .hasMessageStartingWith("host_catalog.include_defaults: must be a boolean");
        assertThatThrownBy(() -> CommandCatalog.parse(yaml("host_catalog: {disable: docker_ps}")))
                .hasMessageStartingWith("host_catalog.disable: must be a list");
        assertThatThrownBy(() -> CommandCatalog.parse(yaml("host_catalog: {commands: [{name: x, descripton: d}]}")))
                .hasMessageStartingWith("host_catalog.commands[0].descripton: unknown setting; valid: argv, "
                        + "description, destructive,");
        assertThat(CommandCatalog.parse(yaml("host_catalog: {include_defaults: false}"))
                        .entries())
                .isEmpty();
    }

    @Test
    void theShippedCatalogIsReadOnceAndEveryCatalogStartsFromIt() {
        assertThat(CommandCatalog.shipped()).isSameAs(CommandCatalog.shipped()).isNotEmpty();
        assertThat(CommandCatalog.parse(null).entries()).isEqualTo(CommandCatalog.shipped());
        // prepare() (the start-up thread's read) changes nothing a later create sees
        new io.opsmcp.tools.system.HostToolsetProvider().prepare();
        assertThat(CommandCatalog.parse(null).entries()).isEqualTo(CommandCatalog.shipped());
    }

    @Test
    void aShippedCatalogThatDoesNotReadFailsEveryUseWithItsErrorNeverAnEmptyCatalog() {
        ShippedRead<List<CatalogEntry>> bad =
                ShippedRead.of(() -> CommandCatalog.read(() -> new java.io.ByteArrayInputStream(
                        "commands: [{name: 'Bad Name', description: d, argv: [uptime]}]".getBytes())));
        assertThatThrownBy(bad::get)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("default-catalog.yaml commands[0].name: 'Bad Name' must match");
        Throwable first = org.assertj.core.api.Assertions.catchThrowable(bad::get);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(bad::get)).isSameAs(first);
        assertThatThrownBy(() ->
                        ShippedRead.of(() -> CommandCatalog.read(() -> null)).get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("default-catalog.yaml is missing from the class path");
        assertThatThrownBy(() -> ShippedRead.of(() ->
                                CommandCatalog.read(() -> new java.io.ByteArrayInputStream("commands: {".getBytes())))
                        .get())
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> ShippedRead.of(() ->
                                CommandCatalog.read(() -> new java.io.ByteArrayInputStream("other: 1".getBytes())))
                        .get())
                .hasMessage("default-catalog.yaml commands: must be a list of commands");
    }

    @Test
    void regexSchemaIsAnchoredAndRefusesALeadingDash() {
        CatalogParameter.Regex p = (CatalogParameter.Regex) CommandCatalog.parse(null).entries().stream()
                .filter(e -> e.name().equals("dns_lookup"))
                .findFirst()
                .orElseThrow()
                .parameters()
                .get(0);
        assertThat(p.schema().get("pattern").asString()).startsWith("^(?:").endsWith(")$");
        assertThat(p.schema().get("not").get("pattern").asString()).isEqualTo("^-");
    }
}
