package io.opsmcp.core.resource;

import io.opsmcp.core.tool.Principal;

/**
 * A fixed MCP resource, e.g. {@code ops://environments}. Reading must not change anything.
 */
public interface OpsResource {

    /**
     * @param uri         the resource URI
     * @param name        short name
     * @param title       human title
     * @param description what it holds, for the model
     * @param mimeType    MIME type of its content
     */
    record Definition(String uri, String name, String title, String description, String mimeType) {
    }

    Definition definition();

    /**
     * Reads the current content for a caller.
     *
     * @throws io.opsmcp.core.tool.ToolException when it cannot be read (NOT_FOUND, UNAVAILABLE…)
     */
    ResourceContent read(Principal principal);
}
