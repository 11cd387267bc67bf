package io.opsmcp.tools.system.hosts;

import io.opsmcp.core.tool.JsonSchemas;
import tools.jackson.databind.node.ObjectNode;

/** Schema pieces specific to the host tools; the general builders are in {@link JsonSchemas}. */
final class Schemas {

    private Schemas() {
    }

    /** The {@code host} argument every host tool takes. */
    static ObjectNode host() {
        return JsonSchemas.pattern("Name of a configured host (see host_list).", Params.HOST_PATTERN, 63);
    }
}
