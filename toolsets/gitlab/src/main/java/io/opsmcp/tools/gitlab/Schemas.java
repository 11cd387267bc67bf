package io.opsmcp.tools.gitlab;

import java.util.stream.Stream;

import io.opsmcp.core.tool.JsonSchemas;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Schema pieces specific to the GitLab tools; the general builders are in {@link JsonSchemas}. */
public final class Schemas {

    private Schemas() {
    }

    /** {@code project}: a path such as {@code shop/checkout} or a numeric project id. */
    public static ObjectNode project() {
        // anyOf rather than "type": [string, integer]: the schema validator (networknt 3.0) cannot combine a type
        // list with "minimum", and each branch then carries only the rules that apply to it.
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("description", "Project path (e.g. shop/checkout) or numeric project id.");
        var anyOf = p.putArray("anyOf");
        ObjectNode path = anyOf.addObject();
        path.put("type", "string");
        path.put("pattern", Params.PROJECT_PATTERN);
        path.put("minLength", 1);
        path.put("maxLength", 255);
        ObjectNode id = anyOf.addObject();
        id.put("type", "integer");
        id.put("minimum", 1);
        return p;
    }

    /** {@code instance}: optional when one instance is configured or the project path picks one. */
    public static ObjectNode instance() {
        return JsonSchemas.pattern(
                "Configured GitLab instance name; needed only when several instances could hold the project.",
                Params.INSTANCE_PATTERN, 63);
    }

    /** A GitLab numeric id (pipeline, job, merge request iid): a whole number from 1. */
    public static ObjectNode id(String description) {
        return JsonSchemas.integer(description, 1);
    }

    public static ObjectNode dryRun() {
        return JsonSchemas.bool("Only preview: return what would change and send nothing to GitLab.", false);
    }

    /** An open output schema with {@code instance}, {@code project} and the listed members required. */
    public static ObjectNode output(String... required) {
        ObjectNode props = JsonSchemas.properties();
        props.putObject("instance").put("type", "string");
        props.putObject("project").put("type", "string");
        return JsonSchemas.output(props, Stream.concat(Stream.of("instance", "project"), Stream.of(required))
                .toArray(String[]::new));
    }
}
