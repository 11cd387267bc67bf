package io.opsmcp.core.resource;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.Principal;
import java.util.List;
import java.util.Map;

/**
 * A family of resources addressed by an RFC 6570 level-1 URI template, e.g. {@code runbook://{id}}.
 */
public interface OpsResourceTemplate {

    /**
     * @param uriTemplate RFC 6570 template with simple {@code {var}} expressions
     * @param name        short name
     * @param title       human title
     * @param description what the resources hold, for the model
     * @param mimeType    MIME type of their content
     */
    record Definition(String uriTemplate, String name, String title, String description, String mimeType) {}

    Definition definition();

    /**
     * Reads one resource.
     *
     * @param uri       the full URI requested
     * @param variables the template variables extracted from it
     * @throws io.opsmcp.core.tool.ToolException NOT_FOUND when nothing exists at that URI
     */
    ResourceContent read(String uri, Map<String, String> variables, Principal principal);

    /**
     * Completion values for one template variable (MCP {@code completion/complete}), best first, at most 100.
     *
     * @param variable the variable being completed
     * @param prefix   what the user typed so far
     */
    default List<String> complete(String variable, String prefix) {
        return List.of();
    }

    /**
     * What reading {@code uri} reveals, as the policy sees it ({@code input.resource}); completion values of a
     * variable are shown only when the caller could read the resource they name. The default (provider
     * {@code local}, kind {@code resource}) is denied by the shipped policy.
     *
     * @throws io.opsmcp.core.tool.ToolException INVALID_ARGUMENT or NOT_FOUND when the URI names nothing
     */
    default ActionDescriptor reveals(String uri, Map<String, String> variables) {
        return ActionDescriptor.read("local", "resource", null, uri, Map.of());
    }
}
