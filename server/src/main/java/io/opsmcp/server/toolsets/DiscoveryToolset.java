package io.opsmcp.server.toolsets;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.server.config.ConfigException;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.Results;
import io.opsmcp.toolkit.TextTable;
import io.opsmcp.toolkit.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two tools of discovery mode ({@code tools.discovery}), toolset {@code discovery}: {@value #LIST} (the
 * toolsets this server offers, their tool counts and whether this session lists them) and {@value #ENABLE} (add a
 * toolset's tools to this session's {@code tools/list}). Both pass the gateway like every tool, so the policy
 * decides them and the audit log records them; they are read-only because they change only what the calling
 * session sees. The session-side effect (the per-session list and {@code notifications/tools/list_changed}) is
 * {@link ToolDiscovery}'s, after the gateway let the call through: a tool here cannot see the MCP session.
 */
public final class DiscoveryToolset implements OpsToolset {

    /** Toolset name. */
    public static final String NAME = "discovery";
    /** Lists the toolsets. */
    public static final String LIST = "toolsets_list";
    /** Adds one toolset's tools to the session's list. */
    public static final String ENABLE = "toolset_enable";

    /** Read-only, idempotent, and nothing outside the server is reached. */
    private static final ToolAnnotations LOCAL_READ = new ToolAnnotations(true, false, true, false);

    /**
     * One toolset as discovery mode offers it.
     *
     * @param name        toolset name
     * @param description one line
     * @param tools       its published tools (after {@code tools.read_only/include/exclude})
     */
    public record Entry(String name, String description, List<String> tools) {
        public Entry {
            tools = List.copyOf(tools);
        }
    }

    /** A row of {@value #LIST}'s structured result. */
    record Row(String name, String description, int toolCount, boolean enabled) {}

    /** {@value #LIST}'s structured result. */
    record Listing(List<Row> toolsets) {}

    /** {@value #ENABLE}'s structured result. */
    record Enabled(String toolset, List<String> tools) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Set<String> alwaysOn;
    private final List<OpsTool> tools;

    /**
     * @param toolsets the toolsets the gateway serves, already filtered; those without tools are left out
     * @param alwaysOn toolsets every session lists from the start ({@code tools.always_on})
     * @throws ConfigException when {@code alwaysOn} names a toolset that has no published tool here
     */
    public DiscoveryToolset(List<OpsToolset> toolsets, List<String> alwaysOn) {
        for (OpsToolset t : toolsets) {
            List<String> names =
                    t.tools().stream().map(tool -> tool.definition().name()).toList();
            if (!names.isEmpty()) {
                entries.put(t.name(), new Entry(t.name(), t.description(), names));
            }
        }
        for (String name : alwaysOn) {
            if (!entries.containsKey(name)) {
                throw new ConfigException("tools.always_on: '" + name + "' is not an enabled toolset with tools;"
                        + " toolsets here: " + String.join(", ", entries.keySet()));
            }
        }
        this.alwaysOn = Set.copyOf(alwaysOn);
        this.tools = List.of(new ListTool(), new EnableTool(entries.keySet()));
    }

    /** The toolsets on offer, by name, in the gateway's order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** Toolsets every session lists from the start. */
    public Set<String> alwaysOn() {
        return alwaysOn;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Discovery mode: list the toolsets and add one to this session's tools";
    }

    @Override
    public List<OpsTool> tools() {
        return tools;
    }

    /** {@value #LIST}'s result for a session that lists {@code enabled} (always-on toolsets included). */
    public ToolResult listing(Set<String> enabled) {
        List<Row> rows = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (Entry e : entries.values()) {
            boolean on = enabled.contains(e.name()) || alwaysOn.contains(e.name());
            rows.add(new Row(e.name(), e.description(), e.tools().size(), on));
            table.add(List.of(e.name(), String.valueOf(e.tools().size()), on ? "yes" : "no", e.description()));
        }
        String text = TextTable.render(List.of("TOOLSET", "TOOLS", "LISTED", "DESCRIPTION"), table) + "\nCall " + ENABLE
                + " with a toolset name to add its tools to tools/list.";
        return Results.ok(text, new Listing(rows));
    }

    private static ActionDescriptor catalogRead(String name) {
        // The tool catalog is unscoped in the policy data: every known principal may read it.
        return ActionDescriptor.read("local", "tool_catalog", null, name, Map.of());
    }

    private final class ListTool implements OpsTool {
        private final ToolDefinition definition = ToolSpec.tool(LIST)
                .title("List toolsets")
                .description("Lists the toolsets this server offers: name, number of tools, whether this session"
                        + " lists them already, and what they are for. Use " + ENABLE + " to add one.")
                .annotations(LOCAL_READ)
                .build();

        @Override
        public ToolDefinition definition() {
            return definition;
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return catalogRead("toolsets");
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            // What a new session lists; ToolDiscovery answers with the calling session's own state.
            return listing(Set.of());
        }
    }

    private final class EnableTool implements OpsTool {
        private final ArgSpec<String> toolset;
        private final ToolDefinition definition;

        EnableTool(Set<String> names) {
            ArgSpec<String> arg = names.isEmpty()
                    ? ArgSpec.string("toolset").pattern("^[a-z][a-z0-9_-]{0,63}$")
                    : ArgSpec.oneOf("toolset", names.toArray(String[]::new));
            this.toolset =
                    arg.description("Toolset to add, as named by " + LIST + ".").required();
            this.definition = ToolSpec.tool(ENABLE)
                    .title("Enable a toolset")
                    .description("Adds a toolset's tools to this session's tools/list (other sessions are not"
                            + " affected) and notifies the client that the list changed. Call " + LIST
                            + " to see the toolsets.")
                    .args(toolset)
                    .annotations(LOCAL_READ)
                    .build();
        }

        @Override
        public ToolDefinition definition() {
            return definition;
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return catalogRead(entry(args).name());
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            Entry e = entry(args);
            return Results.ok(
                    "Toolset " + e.name() + ": " + e.tools().size() + " tool(s) are in this session's tools/list: "
                            + String.join(", ", e.tools()) + ".",
                    new Enabled(e.name(), e.tools()));
        }

        private Entry entry(ObjectNode args) {
            String name = toolset.read(args);
            Entry e = entries.get(name);
            if (e == null) {
                throw new ToolException(
                        ToolException.Kind.INVALID_ARGUMENT,
                        "toolset '" + name + "' is not offered here; toolsets: " + String.join(", ", entries.keySet()));
            }
            return e;
        }
    }
}
