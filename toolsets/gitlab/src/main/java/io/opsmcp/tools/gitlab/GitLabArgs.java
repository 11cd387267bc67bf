package io.opsmcp.tools.gitlab;

import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.toolkit.ArgSpec;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The arguments the GitLab tools share, declared once with the toolkit's {@link ArgSpec}, plus the two shapes it
 * has no factory for: a project (a path or a numeric id) and a GitLab id (read as {@code long}: gitlab.com job ids
 * are past 2^31, beyond {@link ArgSpec#integer}).
 */
public final class GitLabArgs {

    /** A numeric id, or a namespace path of 2..20 segments (GitLab path characters). */
    public static final String PROJECT_PATTERN =
            "^(?:[1-9][0-9]{0,11}|[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*){1,19})$";

    public static final String INSTANCE_PATTERN = "^[a-z0-9][a-z0-9._-]{0,62}$";
    /**
     * The characters of a branch, tag or commit sha. The git check-ref-format rules that matter here (no leading
     * '-', no '..' or '//', no trailing '/' or '.') are {@link #REF_REJECT}, checked when the argument is read: a
     * schema pattern cannot say them without lookaround, which RE2-based validators cannot compile.
     */
    public static final String REF_PATTERN = "^[A-Za-z0-9._/+@-]{1,255}$";
    /** What a ref must not contain (see {@link #REF_PATTERN}). */
    public static final String REF_REJECT = "^-|\\.\\.|//|[/.]$";
    /** The short pattern published for {@code project}; {@link #project} enforces {@link #PROJECT_PATTERN}. */
    public static final String PROJECT_SCHEMA_PATTERN = "^[\\w./-]+$";

    /** {@code project}: a path such as {@code shop/checkout} or a numeric project id. */
    public static final ArgSpec<JsonNode> PROJECT =
            ArgSpec.json("project", projectSchema()).required();
    /** {@code instance}: optional when one instance is configured or the project path picks one. */
    public static final ArgSpec<String> INSTANCE = ArgSpec.string("instance")
            .pattern(INSTANCE_PATTERN)
            .schemaPattern("^[a-z0-9._-]+$")
            .description("Only if ambiguous.");

    private static final Pattern PROJECT_RE = Pattern.compile(PROJECT_PATTERN);

    private GitLabArgs() {}

    /** A branch, tag or sha argument. */
    public static ArgSpec<String> ref(String name, String description) {
        return ArgSpec.string(name)
                .pattern(REF_PATTERN)
                .reject(REF_REJECT, "must not start with '-', contain '..' or '//', or end with '/' or '.'")
                .description(description);
    }

    /** Free text of 1..{@code maxLength} characters (read with {@link #text}, which also refuses blank text). */
    public static ArgSpec<String> text(String name, String description, int maxLength) {
        return ArgSpec.string(name).nonEmpty().maxLength(maxLength).description(description);
    }

    /** A GitLab numeric id (pipeline, job, merge request iid): a whole number from 1, read as {@code long}. */
    public static ArgSpec<Long> id(String name, String description) {
        return ArgSpec.longInteger(name).atLeast(1).description(description);
    }

    /** The id, or {@code null} when absent and optional. */
    public static Long id(ArgSpec<Long> spec, ObjectNode args) {
        return spec.read(args);
    }

    /** The text, refusing blank text (a title or comment of spaces only). */
    public static String text(ArgSpec<String> spec, ObjectNode args) {
        String v = spec.read(args);
        if (v != null && v.isBlank()) {
            throw invalid(spec.name(), "must not be blank");
        }
        return v;
    }

    /** {@code project} as a path or a numeric id (string or integer). */
    public static String project(ObjectNode args) {
        JsonNode v = args.get("project");
        if (v != null && v.isIntegralNumber() && v.asLong() > 0) {
            return Long.toString(v.asLong());
        }
        if (v == null || !v.isString() || !PROJECT_RE.matcher(v.asString()).matches()) {
            throw invalid("project", "must be a project path like shop/checkout or a numeric project id");
        }
        return v.asString();
    }

    /** An {@code INVALID_ARGUMENT} error naming the argument and the rule it breaks. */
    public static ToolException invalid(String name, String rule) {
        return new ToolException(Kind.INVALID_ARGUMENT, name + ": " + rule);
    }

    private static ObjectNode projectSchema() {
        // anyOf rather than "type": [string, integer]: the schema validator (networknt 3.0) cannot combine a type
        // list with "minimum", and each branch then carries only the rules that apply to it.
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("description", "group/name or id.");
        var anyOf = p.putArray("anyOf");
        ObjectNode path = anyOf.addObject();
        path.put("type", "string");
        path.put("pattern", PROJECT_SCHEMA_PATTERN);
        ObjectNode id = anyOf.addObject();
        id.put("type", "integer");
        // no "minimum": project() refuses ids below 1 by name; the bound is not worth its bytes in every schema
        return p;
    }
}
