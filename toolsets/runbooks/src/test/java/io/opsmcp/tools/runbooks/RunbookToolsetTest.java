package io.opsmcp.tools.runbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class RunbookToolsetTest {

    static final Principal ME = new Principal("tester", Set.of("sre"), "local");

    static RunbookToolset create(ObjectNode settings) {
        OpsToolsetProvider provider = ServiceLoader.load(OpsToolsetProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("runbooks"))
                .findFirst()
                .orElseThrow();
        assertThat(provider.alwaysEnabled()).isTrue();
        return (RunbookToolset) provider.create(settings, Path.of("."));
    }

    static ToolContext ctx() {
        return new ToolContext(ME, "req", Instant.now().plusSeconds(10), null, null);
    }

    @Test
    void servesTheLibraryAsResourcesWithIdCompletion() {
        try (RunbookToolset t = create(JsonNodeFactory.instance.objectNode())) {
            assertThat(t.runbooks()).hasSize(29);
            assertThat(t.resources().get(0).definition().uri()).isEqualTo("runbook://index");
            assertThat(t.resources().get(0).read(ME).text())
                    .contains("[ecs-out-of-memory](runbook://ecs-out-of-memory)");
            var template = t.resourceTemplates().get(0);
            assertThat(template.definition().uriTemplate()).isEqualTo("runbook://{id}");
            var content = template.read("runbook://host-disk-full", Map.of("id", "host-disk-full"), ME);
            assertThat(content.mimeType()).isEqualTo("text/markdown");
            assertThat(content.text()).startsWith("# Linux host disk full").contains("host_disk_usage(host)");
            assertThat(template.complete("id", "ci-m"))
                    .containsExactly(
                            "ci-maven-gradle-resolution",
                            "ci-missing-env-var",
                            "ci-missing-npm-package",
                            "ci-missing-python-package");
            assertThatThrownBy(() -> template.read("runbook://nope", Map.of("id", "nope"), ME))
                    .isInstanceOf(ToolException.class)
                    .extracting(e -> ((ToolException) e).kind())
                    .isEqualTo(ToolException.Kind.NOT_FOUND);
        }
    }

    @Test
    void searchToolReturnsIdTitleScoreSnippetAndFiltersByAppliesTo() {
        try (RunbookToolset t = create(JsonNodeFactory.instance.objectNode())) {
            OpsTool search = t.tools().stream()
                    .filter(x -> x.definition().name().equals("runbook_search"))
                    .findFirst()
                    .orElseThrow();
            assertThat(search.definition().readOnly()).isTrue();
            ObjectNode args = JsonNodeFactory.instance
                    .objectNode()
                    .put("query", "No module named requests")
                    .put("limit", 2);
            ToolResult r = search.execute(args, ctx());
            var first = r.structuredContent().get("results").get(0);
            assertThat(first.get("id").asString()).isEqualTo("ci-missing-python-package");
            assertThat(first.get("score").asDouble()).isPositive();
            assertThat(first.get("snippet").asString()).contains("No module named");
            assertThat(first.get("uri").asString()).isEqualTo("runbook://ci-missing-python-package");
            assertThat(r.structuredContent().get("results")).hasSize(2);

            ToolResult filtered = search.execute(
                    JsonNodeFactory.instance
                            .objectNode()
                            .put("query", "memory killed")
                            .put("applies_to", "gitlab:out-of-memory"),
                    ctx());
            assertThat(filtered.structuredContent().get("results")).hasSize(1);
            assertThat(filtered.structuredContent()
                            .get("results")
                            .get(0)
                            .get("id")
                            .asString())
                    .isEqualTo("ci-job-out-of-memory");
            ToolResult none =
                    search.execute(JsonNodeFactory.instance.objectNode().put("query", "zzzqqq"), ctx());
            assertThat(none.text()).startsWith("No runbook matches");
            // Lucene syntax in a query is taken literally
            assertThat(search.execute(JsonNodeFactory.instance.objectNode().put("query", "title:(\"x AND [y"), ctx())
                            .error())
                    .isFalse();
        }
    }

    @Test
    void operatorDirectoriesAddAndReplaceRunbooks(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("db.md"), """
                ---
                id: postgres-replication-lag
                title: PostgreSQL replication lag
                tags: [postgres, replica, lag]
                ---
                Check pg_stat_replication on the primary; replay_lag above 60 s pages the DBA.
                """);
        Files.writeString(dir.resolve("disk.md"), """
                ---
                id: host-disk-full
                title: Disk full (our procedure)
                ---
                Call the storage team first.
                """);
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("runbooks").putArray("directories").add(dir.toString());
        try (RunbookToolset t = create(settings)) {
            assertThat(t.runbooks()).hasSize(30);
            assertThat(t.search("replication lag on the replica", null, 1)
                            .get(0)
                            .runbook()
                            .id())
                    .isEqualTo("postgres-replication-lag");
            OpsTool get = t.tools().stream()
                    .filter(x -> x.definition().name().equals("runbook_get"))
                    .findFirst()
                    .orElseThrow();
            assertThat(get.execute(JsonNodeFactory.instance.objectNode().put("id", "host-disk-full"), ctx())
                            .text())
                    .contains("Call the storage team first.");
        }
    }

    @Test
    void badRunbooksNameTheFileAndTheRule(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.md"), "---\nid: Bad Id\ntitle: x\n---\nbody\n");
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("runbooks").putArray("directories").add(dir.toString());
        assertThatThrownBy(() -> create(settings)).hasMessage(bad + ": id 'Bad Id' must match " + Runbook.ID_PATTERN);
        Files.writeString(bad, "no front matter");
        assertThatThrownBy(() -> create(settings)).hasMessageContaining("must start with YAML front matter");
        ObjectNode missing = JsonNodeFactory.instance.objectNode();
        missing.putObject("runbooks")
                .putArray("directories")
                .add(dir.resolve("nope").toString());
        assertThatThrownBy(() -> create(missing)).hasMessageContaining("is not a directory");
    }
}
