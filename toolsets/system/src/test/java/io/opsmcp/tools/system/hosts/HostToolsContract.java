package io.opsmcp.tools.system.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.testing.ToolDefinitionChecks;
import io.opsmcp.tools.system.HostToolset;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every host tool end to end against one real SSH server that runs commands on this machine. Subclasses
 * provide the toolset (sandbox server or OpenSSH) and the name of the host it is configured as.
 */
abstract class HostToolsContract {

    abstract HostToolset toolset();

    abstract String hostName();

    OpsTool tool(String name) {
        return toolset().tools().stream()
                .filter(t -> t.definition().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    static ToolContext ctx() {
        return new ToolContext(
                new Principal("tester", Set.of("sre"), "local"),
                "req-1",
                Instant.now().plusSeconds(30),
                null,
                null);
    }

    ObjectNode args(Object... kv) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("host", hostName());
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] instanceof Integer n) {
                a.put((String) kv[i], n);
            } else {
                a.put((String) kv[i], (String) kv[i + 1]);
            }
        }
        return a;
    }

    ToolResult call(String name, ObjectNode args) {
        OpsTool tool = tool(name);
        ActionDescriptor d = tool.describe(args, ctx());
        assertThat(d.provider()).isEqualTo("host");
        assertThat(d.name()).isEqualTo(hostName());
        ToolResult r = tool.execute(args, ctx());
        // every result a test sees must match the tool's published output schema
        assertThat(ToolDefinitionChecks.resultProblems(tool.definition(), r))
                .as(name + " result against its output schema")
                .isEmpty();
        return r;
    }

    @Test
    void hostListShowsTheHostWithoutSecrets() {
        ToolResult r = tool("host_list").execute(JsonNodeFactory.instance.objectNode(), ctx());
        assertThat(ToolDefinitionChecks.resultProblems(tool("host_list").definition(), r))
                .isEmpty();
        assertThat(r.error()).isFalse();
        JsonNode row = r.structuredContent().get("hosts").get(0);
        assertThat(row.get("name").asString()).isEqualTo(hostName());
        assertThat(row.get("address").asString()).isEqualTo("127.0.0.1");
        assertThat(row.has("auth")).isFalse();
        assertThat(r.text()).contains(hostName()).doesNotContain("key");
    }

    /**
     * Only {@code host_list} runs its execute on the gateway's calling thread: every other host tool connects over
     * SSH and must keep the hand-off to a tool thread, so the deadline answers the client even if the host hangs.
     */
    @Test
    void onlyHostListExecutesLocally() {
        assertThat(toolset().tools().stream()
                        .filter(OpsTool::executesLocally)
                        .map(t -> t.definition().name()))
                .containsExactly("host_list");
    }

    @Test
    void uptimeLoadMatchesThisMachine() {
        ToolResult r = call("host_uptime_load", args());
        JsonNode s = r.structuredContent();
        assertThat(s.get("cpu_count").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(s.get("uptime_seconds").asDouble()).isPositive();
        assertThat(s.get("load_1").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(r.text()).contains("load average");
    }

    @Test
    void diskUsageListsTheRootFileSystem() {
        ToolResult r = call("host_disk_usage", args());
        JsonNode root = null;
        for (JsonNode fs : r.structuredContent().get("filesystems")) {
            if (fs.get("mount_point").asString().equals("/")) {
                root = fs;
            }
        }
        assertThat(root).as("row for /").isNotNull();
        assertThat(root.get("size_bytes").asLong())
                .isGreaterThan(root.get("used_bytes").asLong())
                .isPositive();
        assertThat(r.text()).contains("MOUNT");
    }

    @Test
    void diskUsageForOneMountShowsOnlyItsFileSystem() {
        ToolResult r = call("host_disk_usage", args("mount", "/tmp"));
        assertThat(r.structuredContent().get("filesystems")).hasSize(1);
    }

    @Test
    void diskUsageForAMissingPathIsNotFound() {
        assertThatThrownBy(() -> call("host_disk_usage", args("mount", "/no/such/ops-mcp-path")))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void memoryMatchesTheKernelTotal() throws Exception {
        ToolResult r = call("host_memory", args());
        long memTotalKb = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:"))
                .map(l -> l.replaceAll("\\D", ""))
                .map(Long::parseLong)
                .findFirst()
                .orElseThrow();
        assertThat(r.structuredContent().get("total_bytes").asLong()).isEqualTo(memTotalKb * 1024);
        assertThat(r.structuredContent().get("available_bytes").asLong()).isPositive();
    }

    @Test
    void topProcessesByMemoryAreSortedAndLimited() {
        ToolResult r = call("host_top_processes", args("sort_by", "memory", "limit", 3));
        JsonNode rows = r.structuredContent().get("processes");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).get("rss_bytes").asLong())
                .isGreaterThanOrEqualTo(rows.get(2).get("rss_bytes").asLong());
        assertThat(rows.get(0).get("pid").asLong()).isPositive();
    }

    @Test
    void topProcessesByCpuDefaultsToTen() {
        ToolResult r = call("host_top_processes", args());
        assertThat(r.structuredContent().get("sort_by").asString()).isEqualTo("cpu");
        assertThat(r.structuredContent().get("processes").size()).isBetween(1, 10);
    }

    @Test
    void serviceStatusWithoutSystemdSaysSoAndUsesServiceExitStatus() {
        ToolResult r = call("host_service_status", args("unit", "ops-mcp-no-such-service"));
        JsonNode s = r.structuredContent();
        if (s.get("systemd").asBoolean()) {
            assertThat(s.get("load_state").asString()).isEqualTo("not-found");
        } else {
            assertThat(r.text()).contains("systemd is not the init system");
            assertThat(s.get("active_state").asString()).isNotEqualTo("running");
            assertThat(s.get("sysv_exit_status").isNull()).isFalse();
        }
    }

    @Test
    void journalWithoutSystemdIsAClearErrorResult() {
        ToolResult r = call("host_journal", args("unit", "ssh.service", "since", "1h", "lines", 5));
        if (!r.structuredContent().get("systemd").asBoolean()) {
            assertThat(r.error()).isTrue();
            assertThat(r.text()).contains("systemd is not the init system").contains("no journal");
        } else {
            assertThat(r.structuredContent().get("entries").size()).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void unknownHostIsNotFoundAndListsConfiguredHosts() {
        ObjectNode a = JsonNodeFactory.instance.objectNode().put("host", "nope");
        assertThatThrownBy(() -> tool("host_memory").describe(a, ctx()))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("host 'nope' is not configured")
                .hasMessageContaining(hostName())
                .extracting(e -> ((ToolException) e).kind())
                .isEqualTo(ToolException.Kind.NOT_FOUND);
    }

    @Test
    void descriptorCarriesEnvironmentAndIds() {
        ActionDescriptor d = tool("host_memory").describe(args(), ctx());
        assertThat(d.kind()).isEqualTo("host");
        assertThat(d.ids()).containsEntry("address", "127.0.0.1");
        assertThat(d.change()).isNull();
        assertThat(Map.copyOf(d.ids())).containsKey("host_group");
    }
}
