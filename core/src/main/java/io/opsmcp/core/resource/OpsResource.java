package io.opsmcp.core.resource;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.Principal;
import java.util.Map;

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
    record Definition(String uri, String name, String title, String description, String mimeType) {}

    Definition definition();

    /**
     * Reads the current content for a caller.
     *
     * @throws io.opsmcp.core.tool.ToolException when it cannot be read (NOT_FOUND, UNAVAILABLE…)
     */
    ResourceContent read(Principal principal);

    /**
     * What reading this resource reveals, as the policy sees it ({@code input.resource} of a
     * {@code resources/read}). The default, kind {@code resource} of provider {@code local}, is in no environment
     * and not unscoped, so the shipped policy denies it: a resource is readable only once it says what it reveals.
     */
    default ActionDescriptor reveals() {
        return ActionDescriptor.read("local", "resource", null, definition().uri(), Map.of());
    }

    /**
     * Reads the content, leaving out the parts the caller may not see: {@code visible} asks the policy about each
     * part (e.g. one approval of a list). The default reads everything, for resources that are one thing.
     */
    default ResourceContent read(Principal principal, Visibility visible) {
        return read(principal);
    }
}
