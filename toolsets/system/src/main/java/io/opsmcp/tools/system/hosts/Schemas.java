package io.opsmcp.tools.system.hosts;

import io.opsmcp.core.tool.JsonSchemas;
import tools.jackson.databind.node.ObjectNode;

/** Schema pieces specific to the host tools; the general builders are in {@link JsonSchemas}. */
public final class Schemas {

    private Schemas() {
    }

    /** The {@code host} argument every host tool takes. */
    public static ObjectNode host() {
        return JsonSchemas.pattern("Name of a configured host (see host_list).", Params.HOST_PATTERN, 63);
    }

    /** The {@code dry_run} argument of the mutating tools. */
    public static ObjectNode dryRun() {
        ObjectNode p = JsonSchemas.type("boolean", "Only report what would be done; change nothing.");
        p.put("default", false);
        return p;
    }
}
