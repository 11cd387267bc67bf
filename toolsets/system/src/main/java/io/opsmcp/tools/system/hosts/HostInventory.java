package io.opsmcp.tools.system.hosts;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.system.config.HostEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured hosts, looked up by name. Immutable. */
public final class HostInventory {

    private final Map<String, HostEntry> byName = new LinkedHashMap<>();

    public HostInventory(List<HostEntry> hosts) {
        hosts.forEach(h -> byName.put(h.name(), h));
    }

    public List<HostEntry> all() {
        return List.copyOf(byName.values());
    }

    /**
     * @throws ToolException NOT_FOUND naming the configured hosts when {@code name} is not one of them
     */
    public HostEntry require(String name) {
        HostEntry host = byName.get(name);
        if (host == null) {
            throw new ToolException(
                    Kind.NOT_FOUND,
                    "host '" + name + "' is not configured; configured hosts: "
                            + (byName.isEmpty()
                                    ? "(none; add them under hosts: in the configuration)"
                                    : String.join(", ", byName.keySet())));
        }
        return host;
    }
}
