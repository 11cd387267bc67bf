package io.opsmcp.core.resource;

import java.util.List;
import java.util.Map;

import io.opsmcp.core.tool.Principal;

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
    record Definition(String uriTemplate, String name, String title, String description, String mimeType) {
    }

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
}
