package io.opsmcp.tools.aws.common;

import io.opsmcp.tools.aws.client.AwsAction;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One AWS API request a change tool sends (or would send on a dry run), as shown to the caller: the action and its
 * parameters as the service receives them, except what the tool masks before building it (access key ids; a
 * password is never a parameter shown).
 *
 * @param action     the API action; shown by its IAM action name ({@code ecs:UpdateService})
 * @param parameters the request's parameters, in the service's JSON field names
 */
public record ApiRequest(AwsAction action, ObjectNode parameters) {

    public ApiRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(parameters, "parameters");
    }

    /** Appends each request to {@code into} as {@code {"operation": IAM action, "parameters": {…}}}, in order. */
    public static ArrayNode appendTo(ArrayNode into, List<ApiRequest> requests) {
        for (ApiRequest r : requests) {
            into.addObject().put("operation", r.action().iamAction()).set("parameters", r.parameters());
        }
        return into;
    }

    /** The requests for a text result: one indented line each, {@code "  ecs:UpdateService {…}\n"}. */
    public static String text(List<ApiRequest> requests) {
        StringBuilder sb = new StringBuilder();
        for (ApiRequest r : requests) {
            sb.append("  ")
                    .append(r.action().iamAction())
                    .append(' ')
                    .append(r.parameters())
                    .append('\n');
        }
        return sb.toString();
    }
}
