package io.opsmcp.tools.gitlab.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.ToolAnnotations;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.gitlab.client.GitLabApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merge request tools (GitLab REST v4 Merge requests and Notes APIs): {@code gitlab_merge_requests},
 * {@code gitlab_merge_request}, and the mutating {@code gitlab_create_merge_request} and
 * {@code gitlab_comment_merge_request}.
 */
final class MergeRequestTools {

    static final List<String> STATES = List.of("opened", "closed", "merged", "locked", "all");
    private static final int MAX_FILES = 300;
    static final int MAX_TITLE = 255;
    static final int MAX_BODY = 20_000;

    private MergeRequestTools() {
    }

    static List<OpsTool> all(GitLabContext gl) {
        return List.of(new ListMergeRequests(gl), new GetMergeRequest(gl), new CreateMergeRequest(gl),
                new CommentMergeRequest(gl));
    }

    static ObjectNode summary(JsonNode mr) {
        ObjectNode o = Json.pick(mr, "iid", "title", "state", "draft", "source_branch", "target_branch",
                "detailed_merge_status", "sha", "merge_commit_sha", "created_at", "updated_at", "merged_at", "web_url");
        o.put("author", mr.path("author").path("username").asString(null));
        return o;
    }

    /** {@code gitlab_merge_requests(project, state?)}. */
    static final class ListMergeRequests extends GitLabTool {

        ListMergeRequests(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_merge_requests", "GitLab merge requests",
                    "Lists a project's merge requests, most recently updated first; `state` opened (default), closed, "
                            + "merged, locked or all.",
                    JsonSchemas.input(JsonSchemas.properties()
                            .<ObjectNode>set("project", Schemas.project())
                            .<ObjectNode>set("state", JsonSchemas.enumeration("Merge request state (default opened).",
                                    STATES))
                            .<ObjectNode>set("limit", JsonSchemas.integer("Most merge requests to return.", 1, 100, 20))
                            .<ObjectNode>set("instance", Schemas.instance()), "project"),
                    Schemas.output("merge_requests"), ToolAnnotations.readOnly()));
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return project(args, ctx).read("gitlab:merge_request", null, null, null);
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            String state = Params.oneOf(args, "state", STATES);
            state = state == null ? "opened" : state;
            int limit = Params.integer(args, "limit", 1, 100, 20);
            Map<String, String> query = new LinkedHashMap<>();
            query.put("state", state);
            query.put("order_by", "updated_at");
            query.put("sort", "desc");
            List<JsonNode> mrs = p.client().list(p.api("/merge_requests"), query, limit, ctx.deadline());
            ObjectNode out = Json.result(p);
            out.put("state", state);
            ArrayNode list = out.putArray("merge_requests");
            StringBuilder text = new StringBuilder(p.path() + ": " + mrs.size() + " " + state + " merge request(s)\n");
            for (JsonNode mr : mrs) {
                list.add(summary(mr));
                text.append("  !").append(Json.text(mr, "iid", "?")).append(' ').append(Json.text(mr, "title", ""))
                        .append(" [").append(Json.text(mr, "source_branch", "?")).append(" -> ")
                        .append(Json.text(mr, "target_branch", "?")).append(", ").append(Json.text(mr, "state", "?"))
                        .append(", ").append(mr.path("author").path("username").asString("?")).append("]\n");
            }
            return ToolResult.ok(text.toString(), out);
        }
    }

    /** {@code gitlab_merge_request(project, iid)}: the MR, its changes summary and pipeline status. */
    static final class GetMergeRequest extends GitLabTool {

        GetMergeRequest(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_merge_request", "GitLab merge request",
                    "Shows one merge request by its iid (the !number): title, state, branches, author, merge status, "
                            + "the status of its latest pipeline, and a summary of the changed files with added/removed "
                            + "line counts.",
                    JsonSchemas.input(JsonSchemas.properties()
                            .<ObjectNode>set("project", Schemas.project())
                            .<ObjectNode>set("iid", Schemas.id("Merge request iid (the number after !)."))
                            .<ObjectNode>set("instance", Schemas.instance()), "project", "iid"),
                    Schemas.output("merge_request", "changes"), ToolAnnotations.readOnly()));
        }

        @Override
        public ActionDescriptor describe(ObjectNode args, ToolContext ctx) {
            return project(args, ctx).read("gitlab:merge_request", null, null, null);
        }

        @Override
        public ToolResult execute(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            long iid = Params.id(args, "iid");
            JsonNode mr = p.client().get(p.api("/merge_requests/" + iid), Map.of(), ctx.deadline());
            List<JsonNode> diffs = p.client().list(p.api("/merge_requests/" + iid + "/diffs"), Map.of(), MAX_FILES,
                    ctx.deadline());
            ObjectNode out = Json.result(p);
            ObjectNode m = summary(mr);
            m.put("description", Json.text(mr, "description", null));
            out.set("merge_request", m);
            JsonNode pipeline = mr.hasNonNull("head_pipeline") ? mr.get("head_pipeline") : mr.get("pipeline");
            out.set("pipeline", pipeline == null || pipeline.isNull() ? null
                    : Json.pick(pipeline, "id", "status", "ref", "sha", "web_url"));
            ObjectNode changes = out.putObject("changes");
            ArrayNode files = changes.putArray("files");
            int additions = 0;
            int deletions = 0;
            StringBuilder fileText = new StringBuilder();
            for (JsonNode d : diffs) {
                ObjectNode s = Diffs.summary(d);
                additions += s.path("additions").asInt();
                deletions += s.path("deletions").asInt();
                files.add(s);
                fileText.append(Diffs.line(s));
            }
            changes.put("count", diffs.size());
            changes.put("additions", additions);
            changes.put("deletions", deletions);
            changes.put("truncated", diffs.size() >= MAX_FILES);
            String text = "!" + iid + " " + Json.text(mr, "title", "") + "\n"
                    + "state: " + Json.text(mr, "state", "?") + ", " + Json.text(mr, "source_branch", "?") + " -> "
                    + Json.text(mr, "target_branch", "?") + ", author " + mr.path("author").path("username").asString("?")
                    + ", merge status " + Json.text(mr, "detailed_merge_status", "?") + "\n"
                    + "pipeline: " + (pipeline == null || pipeline.isNull() ? "none"
                    : "#" + Json.text(pipeline, "id", "?") + " " + Json.text(pipeline, "status", "?")) + "\n"
                    + "changes: " + diffs.size() + " file(s), +" + additions + " -" + deletions + "\n" + fileText
                    + Json.text(mr, "web_url", "") + "\n";
            return ToolResult.ok(text, out);
        }
    }

    /** Data of a planned merge request. */
    record NewMergeRequest(String source, String target, String title, String description) {
    }

    /** {@code gitlab_create_merge_request(project, source_branch, target_branch, title, description)}. */
    static final class CreateMergeRequest extends MutatingTool<NewMergeRequest> {

        CreateMergeRequest(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_create_merge_request", "Open a GitLab merge request",
                    "Opens a merge request from an existing source branch into a target branch. With dry_run=true only "
                            + "shows what would be opened.",
                    JsonSchemas.input(JsonSchemas.properties()
                            .<ObjectNode>set("project", Schemas.project())
                            .<ObjectNode>set("source_branch", JsonSchemas.pattern("Branch with the changes.",
                                    Params.REF_PATTERN, 255))
                            .<ObjectNode>set("target_branch", JsonSchemas.pattern("Branch to merge into.",
                                    Params.REF_PATTERN, 255))
                            .<ObjectNode>set("title", JsonSchemas.nonEmptyText("Title.", MAX_TITLE))
                            .<ObjectNode>set("description", JsonSchemas.nonEmptyText("Description (Markdown).",
                                    MAX_BODY))
                            .<ObjectNode>set("instance", Schemas.instance())
                            .<ObjectNode>set("dry_run", Schemas.dryRun()),
                            "project", "source_branch", "target_branch", "title"),
                    Schemas.output("summary"), ToolAnnotations.mutating(false)));
        }

        @Override
        Plan<NewMergeRequest> plan(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            String source = Params.ref(args, "source_branch", true);
            String target = Params.ref(args, "target_branch", true);
            if (source.equals(target)) {
                throw Params.invalid("source_branch", "must differ from target_branch");
            }
            for (String branch : List.of(source, target)) {
                try {
                    p.client().get(p.api("/repository/branches/" + io.opsmcp.tools.gitlab.client.GitLabClient
                            .segment(branch)), Map.of(), ctx.deadline());
                } catch (GitLabApiException e) {
                    if (e.status() == 404) {
                        throw new ToolException(Kind.NOT_FOUND, "branch " + branch + " does not exist in " + p.path());
                    }
                    throw e;
                }
            }
            NewMergeRequest mr = new NewMergeRequest(source, target, Params.text(args, "title", MAX_TITLE, true),
                    Params.text(args, "description", MAX_BODY, false));
            ObjectNode after = Json.object();
            after.put("source_branch", source);
            after.put("target_branch", target);
            after.put("title", mr.title());
            after.put("description", mr.description());
            ChangePreview change = new ChangePreview("open merge request " + source + " -> " + target + " in "
                    + p.path() + ": " + mr.title(), null, after);
            return new Plan<>(p, p.change("gitlab:merge_request", target, null, null, change), mr);
        }

        @Override
        ToolResult apply(Plan<NewMergeRequest> plan, ObjectNode args, ToolContext ctx) {
            ProjectRef p = plan.project();
            NewMergeRequest mr = plan.data();
            ObjectNode body = Json.object();
            body.put("source_branch", mr.source());
            body.put("target_branch", mr.target());
            body.put("title", mr.title());
            if (mr.description() != null) {
                body.put("description", mr.description());
            }
            JsonNode created = p.client().post(p.api("/merge_requests"), body, ctx.deadline());
            ObjectNode out = Json.result(p);
            out.put("dry_run", false);
            out.put("summary", plan.change().summary());
            out.set("merge_request", summary(created));
            return ToolResult.ok("Opened merge request !" + Json.text(created, "iid", "?") + " "
                    + Json.text(created, "web_url", "") + "\n", out);
        }
    }

    /** Data of a planned comment. */
    record Comment(long iid, String body) {
    }

    /** {@code gitlab_comment_merge_request(project, iid, body)}: {@code POST …/merge_requests/:iid/notes}. */
    static final class CommentMergeRequest extends MutatingTool<Comment> {

        CommentMergeRequest(GitLabContext gl) {
            super(gl, new ToolDefinition("gitlab_comment_merge_request", "Comment on a GitLab merge request",
                    "Adds a comment (Markdown) to a merge request. With dry_run=true only shows the comment.",
                    JsonSchemas.input(JsonSchemas.properties()
                            .<ObjectNode>set("project", Schemas.project())
                            .<ObjectNode>set("iid", Schemas.id("Merge request iid (the number after !)."))
                            .<ObjectNode>set("body", JsonSchemas.nonEmptyText("Comment text (Markdown).", MAX_BODY))
                            .<ObjectNode>set("instance", Schemas.instance())
                            .<ObjectNode>set("dry_run", Schemas.dryRun()), "project", "iid", "body"),
                    Schemas.output("summary"), ToolAnnotations.mutating(false)));
        }

        @Override
        Plan<Comment> plan(ObjectNode args, ToolContext ctx) {
            ProjectRef p = project(args, ctx);
            long iid = Params.id(args, "iid");
            String body = Params.text(args, "body", MAX_BODY, true);
            JsonNode mr = p.client().get(p.api("/merge_requests/" + iid), Map.of(), ctx.deadline());
            ObjectNode after = Json.object();
            after.put("iid", iid);
            after.put("body", body);
            ChangePreview change = new ChangePreview("comment on merge request !" + iid + " ("
                    + Json.text(mr, "title", "") + ") in " + p.path(), summary(mr), after);
            return new Plan<>(p, p.change("gitlab:merge_request", Json.text(mr, "target_branch", null), null, null,
                    change), new Comment(iid, body));
        }

        @Override
        ToolResult apply(Plan<Comment> plan, ObjectNode args, ToolContext ctx) {
            ProjectRef p = plan.project();
            ObjectNode body = Json.object();
            body.put("body", plan.data().body());
            JsonNode note = p.client().post(p.api("/merge_requests/" + plan.data().iid() + "/notes"), body,
                    ctx.deadline());
            ObjectNode out = Json.result(p);
            out.put("dry_run", false);
            out.put("summary", plan.change().summary());
            out.set("note", Json.pick(note, "id", "created_at"));
            return ToolResult.ok("Commented on !" + plan.data().iid() + " (note " + Json.text(note, "id", "?") + ")\n",
                    out);
        }
    }
}
