package io.opsmcp.tools.deployments;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.aws.api.AwsAccess;
import io.opsmcp.tools.deployments.OriginFinder.Origin;
import io.opsmcp.tools.deployments.SourceHints.Hint;
import io.opsmcp.tools.gitlab.api.GitLabProjects;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ops_deployment_origin(account, region, cluster, service, project?)}: which commit, pipeline and merge
 * request the running revision of an ECS service came from. Read-only; the guard sees the ECS service it reads
 * (provider {@code aws}, kind {@code ecs:service}); the GitLab project it then reads must be in the gitlab
 * toolset's scope, else the call is refused.
 */
final class DeploymentOriginTool implements OpsTool {

    static final String NAME = "ops_deployment_origin";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    private final AwsAccess aws;
    private final OriginFinder finder;
    private final ToolDefinition definition;

    DeploymentOriginTool(AwsAccess aws, GitLabProjects gitlab) {
        this.aws = aws;
        this.finder = new OriginFinder(gitlab);
        this.definition = new ToolDefinition(
                NAME,
                "Where did this deployment come from?",
                "The GitLab commit, pipeline and merge request an ECS service's running task definition "
                        + "came from (gitlab.* tags, else an image tag that looks like a sha).",
                inputSchema(),
                outputSchema(),
                ToolAnnotations.readOnly());
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    @Override
    public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
        AwsAccess.Scope target = aws.scope(args);
        String service = AwsAccess.service(args);
        projectArgument(args);
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("account", target.account());
        ids.put("account_id", target.accountId());
        ids.put("region", target.region());
        ids.put("cluster", AwsAccess.cluster(args));
        ids.put("service", service);
        return ActionDescriptor.read("aws", "ecs:service", target.environment(), service, ids);
    }

    @Override
    public ToolResult execute(ObjectNode args, ToolContext ctx) {
        AwsAccess.Scope target = aws.scope(args);
        String cluster = AwsAccess.cluster(args);
        String service = AwsAccess.service(args);
        RunningRevision rev = RunningRevision.read(aws, target, cluster, service);
        SourceHints hints = SourceHints.of(rev, projectArgument(args));
        Origin origin = finder.find(rev, hints, ctx.deadline());
        return ToolResult.ok(
                text(service, rev, hints, origin), structured(target, cluster, service, rev, hints, origin));
    }

    private static String projectArgument(ObjectNode args) {
        JsonNode v = args.get("project");
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.isIntegralNumber() ? Long.toString(v.asLong()) : v.isString() ? v.asString() : "";
        if (!s.matches(GitLabProjects.PROJECT_PATTERN)) {
            throw new ToolException(
                    Kind.INVALID_ARGUMENT,
                    "project: must be a GitLab project path like shop/checkout " + "or a numeric project id");
        }
        return s;
    }

    // ---- text ------------------------------------------------------------------------------------------------

    private static String text(String service, RunningRevision rev, SourceHints hints, Origin origin) {
        String subject = RunningRevision.shortName(service) + " (task definition " + rev.taskDefinition() + ", image "
                + rev.image().image() + ")";
        StringBuilder t = new StringBuilder();
        if (!origin.found()) {
            t.append("Origin of ").append(subject).append(" not found. Looked up:\n");
            origin.lookedUp().forEach(l -> t.append("- ").append(l).append('\n'));
            notes(t, hints);
            t.append("Set the tags ")
                    .append(SourceHints.PROJECT_TAG)
                    .append(" and ")
                    .append(SourceHints.COMMIT_TAG)
                    .append(" on the task definition in the deployment pipeline (see toolsets/deployments/README.md).");
            return t.toString();
        }
        JsonNode c = origin.commit();
        t.append(subject)
                .append(" was deployed from commit ")
                .append(c.path("short_id")
                        .asString(OriginFinder.shortSha(c.path("id").asString())))
                .append(" '")
                .append(c.path("title").asString(""))
                .append("' (")
                .append(c.path("author_name").asString("?"))
                .append(", ")
                .append(time(c.path("committed_date").asString(null)))
                .append(") of ")
                .append(origin.project().path());
        JsonNode p = origin.pipeline();
        if (p != null) {
            t.append(", built by pipeline ")
                    .append(p.path("id").asLong())
                    .append(" (")
                    .append(p.path("status").asString("?"))
                    .append(", ")
                    .append(time(pipelineTime(p)))
                    .append(')');
        } else {
            t.append(", no pipeline found for it");
        }
        JsonNode mr = origin.mergeRequest();
        if (mr != null) {
            t.append(", from MR !")
                    .append(mr.path("iid").asLong())
                    .append(" '")
                    .append(mr.path("title").asString(""))
                    .append("' by ")
                    .append(mr.path("author").path("name").asString("?"))
                    .append(" (")
                    .append(mr.path("state").asString("?"))
                    .append(')');
        } else {
            t.append(", in no merge request (pushed directly?)");
        }
        t.append(".\n");
        line(t, "Commit", c.path("web_url").asString(null));
        if (p != null) {
            line(t, "Pipeline", p.path("web_url").asString(null));
        }
        if (mr != null) {
            line(t, "Merge request", mr.path("web_url").asString(null));
        }
        t.append("Sources: commit from ").append(hints.commit().from());
        t.append("; project from ")
                .append(
                        hints.project() == null
                                ? "the image repository"
                                : hints.project().from());
        if (p != null) {
            t.append("; pipeline: ").append(origin.pipelineBy());
        }
        t.append(".\n");
        notes(t, hints);
        return t.toString().stripTrailing();
    }

    private static void line(StringBuilder t, String label, String url) {
        if (url != null) {
            t.append(label).append(": ").append(url).append('\n');
        }
    }

    private static void notes(StringBuilder t, SourceHints hints) {
        hints.notes().forEach(n -> t.append("Note: ").append(n).append('\n'));
    }

    private static String pipelineTime(JsonNode p) {
        for (String f : List.of("finished_at", "updated_at", "created_at")) {
            if (p.hasNonNull(f)) {
                return p.get(f).asString();
            }
        }
        return null;
    }

    /** A GitLab ISO-8601 time as {@code 2025-11-20 09:19 UTC}; the raw value when it does not parse. */
    static String time(String iso) {
        if (iso == null) {
            return "time unknown";
        }
        try {
            return MINUTES.format(OffsetDateTime.parse(iso).atZoneSameInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    // ---- structured ------------------------------------------------------------------------------------------

    private static ObjectNode structured(
            AwsAccess.Scope target,
            String cluster,
            String service,
            RunningRevision rev,
            SourceHints hints,
            Origin origin) {
        ObjectNode o = JSON.objectNode();
        o.put("account", target.account());
        o.put("account_id", target.accountId());
        o.put("region", target.region());
        o.put("cluster", RunningRevision.shortName(cluster));
        o.put("service", RunningRevision.shortName(service));
        o.put("task_definition", rev.taskDefinition());
        o.put("container", rev.container());
        o.put("image", rev.image().image());
        o.put("image_tag", rev.image().tag());
        o.put("rollout_state", rev.rolloutState());
        o.put("found", origin.found());
        ObjectNode sources = o.putObject("sources");
        sources.set("project", hint(hints.project()));
        sources.set("commit", hint(hints.commit()));
        sources.set("pipeline", hint(hints.pipeline()));
        if (origin.project() == null) {
            o.putNull("gitlab");
        } else {
            o.putObject("gitlab")
                    .put("instance", origin.project().instance())
                    .put("project", origin.project().path())
                    .put("environment", origin.project().environment());
        }
        o.set("commit", pick(origin.commit(), "id", "short_id", "title", "author_name", "committed_date", "web_url"));
        ObjectNode pipeline =
                pick(origin.pipeline(), "id", "status", "ref", "sha", "source", "created_at", "finished_at", "web_url");
        if (pipeline != null) {
            pipeline.put("chosen_by", origin.pipelineBy());
        }
        o.set("pipeline", pipeline);
        ObjectNode mr = pick(
                origin.mergeRequest(),
                "iid",
                "title",
                "state",
                "source_branch",
                "target_branch",
                "merged_at",
                "web_url");
        if (mr != null) {
            mr.put("author", origin.mergeRequest().path("author").path("name").asString(null));
        }
        o.set("merge_request", mr);
        ArrayNode looked = o.putArray("looked_up");
        origin.lookedUp().forEach(looked::add);
        ArrayNode notes = o.putArray("notes");
        hints.notes().forEach(notes::add);
        return o;
    }

    private static JsonNode hint(Hint h) {
        return h == null
                ? JSON.nullNode()
                : JSON.objectNode().put("value", h.value()).put("from", h.from());
    }

    private static ObjectNode pick(JsonNode from, String... fields) {
        if (from == null) {
            return null;
        }
        ObjectNode o = JSON.objectNode();
        for (String f : fields) {
            JsonNode v = from.get(f);
            o.set(f, v == null ? JSON.nullNode() : v.deepCopy());
        }
        return o;
    }

    // ---- schemas ---------------------------------------------------------------------------------------------

    /** The optional {@code project} argument: where to look when no gitlab.project tag names one. */
    static final ArgSpec<String> PROJECT = ArgSpec.string("project")
            .pattern(GitLabProjects.PROJECT_PATTERN)
            .schemaPattern(GitLabProjects.PROJECT_SCHEMA_PATTERN)
            .description("GitLab project, if no gitlab.project tag names it.");

    private static ObjectNode inputSchema() {
        List<ArgSpec<?>> args = new ArrayList<>(AwsAccess.SERVICE_ARGS);
        args.add(PROJECT);
        return ArgSpec.schema(args);
    }

    private static ObjectNode outputSchema() {
        ObjectNode s = JSON.objectNode();
        s.put("type", "object");
        ObjectNode p = s.putObject("properties");
        for (String f : List.of(
                "account", "account_id", "region", "cluster", "service", "task_definition", "container", "image")) {
            p.set(f, JSON.objectNode().put("type", "string"));
        }
        p.set("image_tag", optional("string", "the image tag; absent for an untagged or digest-only image"));
        p.set("rollout_state", optional("string", "the primary deployment's rollout state"));
        p.set("found", JSON.objectNode().put("type", "boolean").put("description", "whether the commit was found"));
        ObjectNode hint = JSON.objectNode();
        hint.put("type", "object");
        hint.putObject("properties").set("value", JSON.objectNode().put("type", "string"));
        ((ObjectNode) hint.get("properties"))
                .set(
                        "from",
                        JSON.objectNode()
                                .put("type", "string")
                                .put(
                                        "description",
                                        "task definition tag …, service tag …, image tag …, argument project"));
        ObjectNode sources = JSON.objectNode().put("type", "object");
        sources.putObject("properties").set("project", hint);
        ((ObjectNode) sources.get("properties")).set("commit", hint.deepCopy());
        ((ObjectNode) sources.get("properties")).set("pipeline", hint.deepCopy());
        p.set("sources", sources);
        p.set("gitlab", optional("object", "instance, project, environment where the commit was found"));
        p.set(
                "commit",
                optional("object", "id, short_id, title, author_name, committed_date, web_url; absent when not found"));
        p.set(
                "pipeline",
                optional("object", "id, status, ref, sha, source, created_at, finished_at, web_url, chosen_by"));
        p.set(
                "merge_request",
                optional("object", "iid, title, state, author, source_branch, target_branch, merged_at, " + "web_url"));
        p.set(
                "looked_up",
                JSON.objectNode()
                        .put("type", "array")
                        .put("description", "each look-up and its outcome")
                        .set("items", JSON.objectNode().put("type", "string")));
        p.set(
                "notes",
                JSON.objectNode()
                        .put("type", "array")
                        .put("description", "conflicting or ignored tags")
                        .set("items", JSON.objectNode().put("type", "string")));
        ArrayNode required = s.putArray("required");
        List.of("account", "region", "cluster", "service", "task_definition", "image", "found", "looked_up")
                .forEach(required::add);
        return s;
    }

    /** A member of one type that is absent (never {@code null}) when there is nothing to report. */
    private static ObjectNode optional(String type, String description) {
        return JSON.objectNode().put("type", type).put("description", description);
    }
}
