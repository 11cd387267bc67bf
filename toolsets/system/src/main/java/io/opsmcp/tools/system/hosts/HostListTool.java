package io.opsmcp.tools.system.hosts;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.TextTable;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.system.config.HostEntry;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code host_list}: the configured hosts, from configuration only (no connection, no secrets). */
public final class HostListTool extends HostTool {

    static final String NAME = "host_list";

    public HostListTool(HostInventory hosts) {
        super(hosts, null);
    }

    @Override
    public ToolDefinition definition() {
        ObjectNode row = JsonSchemas.output(
                JsonSchemas.properties()
                        .<ObjectNode>set("name", JsonSchemas.type("string", "host name used by the other host_* tools"))
                        .<ObjectNode>set("address", JsonSchemas.type("string", "DNS name or IP address"))
                        .<ObjectNode>set("port", JsonSchemas.type("integer", "SSH port"))
                        .<ObjectNode>set("user", JsonSchemas.type("string", "remote user"))
                        .<ObjectNode>set("host_group", JsonSchemas.type("string", "host group"))
                        .<ObjectNode>set("environment", JsonSchemas.type("string", "environment")),
                "name",
                "address",
                "port",
                "user");
        return ToolSpec.tool(NAME)
                .title("List configured hosts")
                .description("The Linux hosts this server can reach over SSH: name, address, user, group, environment. "
                        + "Reads configuration only.")
                .output(JsonSchemas.output(
                        JsonSchemas.properties().set("hosts", JsonSchemas.arrayOf(row, "configured hosts")), "hosts"))
                .readOnly()
                .closedWorld()
                .build();
    }

    /** Touches no host: provider {@code host}, kind {@code host_inventory}, no environment. */
    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        return ActionDescriptor.read("host", "host_inventory", null, "hosts", null);
    }

    /** The rows come from the immutable inventory: nothing connects, waits or reads a file. */
    @Override
    public boolean executesLocally() {
        return true;
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode rows = out.putArray("hosts");
        List<List<String>> table = new ArrayList<>();
        for (HostEntry h : hosts.all()) {
            ObjectNode row = rows.addObject();
            row.put("name", h.name());
            row.put("address", h.address());
            row.put("port", h.port());
            row.put("user", h.user());
            row.put("host_group", h.hostGroup());
            row.put("environment", h.environment());
            table.add(List.of(
                    h.name(), h.address() + ":" + h.port(), h.user(), dash(h.hostGroup()), dash(h.environment())));
        }
        String text = table.isEmpty()
                ? "No hosts are configured (add them under hosts: in the configuration).\n"
                : table.size() + " configured host(s):\n"
                        + TextTable.render(List.of("NAME", "ADDRESS", "USER", "GROUP", "ENVIRONMENT"), table);
        return ToolResult.ok(text, out);
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
