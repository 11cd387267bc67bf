package io.opsmcp.tools.gitlab.fixes;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.Paging;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.GitLabContext;
import io.opsmcp.tools.gitlab.GitLabMutatingTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.analysis.Classification;
import io.opsmcp.tools.gitlab.analysis.FailureAnalyzer;
import io.opsmcp.tools.gitlab.client.GitLabApiException;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import io.opsmcp.tools.gitlab.mergerequests.MergeRequests;
import io.opsmcp.tools.gitlab.pipelines.Pipeline;
import io.opsmcp.tools.gitlab.pipelines.Pipelines;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import io.opsmcp.tools.gitlab.trace.TraceLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code gitlab_propose_fix(project, pipeline_id)}: for a failed job whose classification has a mechanical fix,
 * creates a new branch with the change committed and opens a merge request citing the failing job (GitLab REST
 * v4: Repository files {@code GET …/repository/files/:path?ref=}, Commits {@code POST …/repository/commits} with
 * {@code start_branch}, Protected branches, Merge requests). A job GitLab stopped at its job timeout gets its
 * {@code timeout:} in {@code .gitlab-ci.yml} raised ({@link CiJobTimeoutFix}), read at the pipeline's commit and
 * refused when the file changed on the branch since. Never writes to an existing branch: the new branch
 * must not exist, must not be the default branch and must not match a protected-branch pattern.
 */
public final class ProposeFixTool extends GitLabMutatingTool<ProposeFixTool.FixPlan> {

    private static final ArgSpec<Long> PIPELINE_ID =
            GitLabArgs.id("pipeline_id", "Failed pipeline id.").required();
    private static final ArgSpec<Long> JOB_ID =
            GitLabArgs.id("job_id", "Failed job to fix; default: the first with a fix.");

    static final String BRANCH_PREFIX = "ops-mcp/fix-";
    /** Largest repository tree searched for a module of the repository (GitLabClient reads at most 100 pages of 100). */
    static final int MAX_TREE_ENTRIES = 10000;

    /** Everything the fix needs after planning. */
    record FixPlan(
            ProjectRef project,
            String branch,
            String target,
            FileChange change,
            String commitMessage,
            String title,
            String description,
            long jobId)
            implements GitLabMutatingTool.OnProject {}

    private final FailureAnalyzer analyzer;
    private final JsonMapper json = JsonMapper.builder().build();
    private final YAMLMapper yaml = YAMLMapper.builder().build();

    public ProposeFixTool(GitLabContext gl, FailureAnalyzer analyzer) {
        super(
                gl,
                ToolSpec.tool("gitlab_propose_fix")
                        .title("Propose a fix for a failed pipeline")
                        .description(
                                "Fixes a failed job mechanically (missing Python/npm package at the locked version, or job "
                                        + "timeout doubled up to 4h) on a new branch " + BRANCH_PREFIX
                                        + "... with a merge "
                                        + "request into the failing branch. Never pushes to an existing branch. Run "
                                        + "gitlab_pipeline_failure_analysis first.")
                        .args(GitLabArgs.PROJECT, PIPELINE_ID, JOB_ID, GitLabArgs.INSTANCE)
                        .output(Json.outputSchema(
                                List.of("summary"),
                                "dry_run",
                                "boolean",
                                "false: the change was made",
                                "summary",
                                "string",
                                "the change, in one line",
                                "branch",
                                "string",
                                "the new branch",
                                "commit",
                                "string",
                                "the commit sha",
                                "merge_request",
                                "object",
                                "iid, title, state, web_url",
                                "diff",
                                "string",
                                "unified diff of the change"))
                        .mutating(false)
                        .build());
        this.analyzer = analyzer;
    }

    @Override
    protected PlannedChange<FixPlan> plan(ObjectNode args, ToolContext ctx) {
        ProjectRef p = project(args, ctx);
        long pipelineId = GitLabArgs.id(PIPELINE_ID, args);
        Long jobId = GitLabArgs.id(JOB_ID, args);
        FailureAnalyzer.Result result = analyzer.analyse(p, pipelineId, jobId, ctx);
        FailureAnalyzer.JobAnalysis fixable = result.analysed().stream()
                .filter(a -> a.classification().fix() != null)
                .findFirst()
                .orElseThrow(() -> new ToolException(
                        Kind.INVALID_ARGUMENT,
                        "pipeline " + pipelineId
                                + " has no failed job with a mechanical fix (found: "
                                + result.analysed().stream()
                                        .map(a -> a.job().name() + "="
                                                + a.classification().category())
                                        .toList()
                                + ")"));
        Pipeline pipeline = result.pipeline();
        String target = targetBranch(p, pipeline, ctx.deadline());
        Classification c = fixable.classification();
        String branch = BRANCH_PREFIX + pipelineId + "-" + c.category();
        guard(p, branch, ctx.deadline());
        RepoFiles files = path -> read(p, path, target, ctx.deadline());
        FileChange change;
        try {
            change = switch (c.fix()) {
                case "python_requirement" ->
                    pythonRequirement(
                            files,
                            tree(p, target, ctx.deadline()),
                            c.extracted().get("package"));
                case "npm_dependency" ->
                    NpmDependencyFix.plan(files, c.extracted().get("package"), json);
                case "ci_job_timeout" ->
                    jobTimeout(
                            p,
                            pipeline,
                            target,
                            fixable.job().name(),
                            c.extracted().get("timeout"),
                            ctx.deadline());
                default -> throw new FixException("no mechanical fix named " + c.fix());
            };
        } catch (FixException e) {
            throw new ToolException(
                    Kind.INVALID_ARGUMENT,
                    "no mechanical fix for job " + fixable.job().name() + ": " + e.getMessage());
        }
        String evidence = c.evidence().stream()
                .filter(TraceLine::match)
                .map(TraceLine::text)
                .findFirst()
                .orElse("");
        String jobUrl = Json.text(
                fixable.job().latest(), "web_url", "job " + fixable.job().id());
        String title = "Fix " + fixable.job().name() + ": " + change.note().replaceFirst(" \\(.*$", "");
        String description =
                "Job [" + fixable.job().name() + " #" + fixable.job().id() + "](" + jobUrl + ") of "
                        + "pipeline #" + pipelineId + " on `" + target + "` failed with **" + c.title() + "**:\n\n```\n"
                        + evidence + "\n```\n\nThis merge request was proposed by ops-mcp (`gitlab_propose_fix`): "
                        + change.note() + ".\n";
        FixPlan fix = new FixPlan(
                p,
                branch,
                target,
                change,
                title,
                title,
                description,
                fixable.job().id());
        ObjectNode before = Json.object();
        before.put("branch", target);
        before.put("file", change.path());
        ObjectNode after = Json.object();
        after.put("branch", branch);
        after.put("file", change.path());
        after.put("diff", change.diff());
        after.put("merge_request_title", title);
        after.put("merge_request_target", target);
        ChangePreview preview = new ChangePreview(
                "create branch " + branch + " from " + target + ", commit: " + change.note()
                        + ", and open a merge request into " + target + " in " + p.path(),
                before,
                after);
        return new PlannedChange<>(
                p.change(
                        "gitlab:merge_request",
                        target,
                        pipelineId,
                        fixable.job().id(),
                        preview),
                fix);
    }

    @Override
    protected String previewText(PlannedChange<FixPlan> plan) {
        return plan.data().change().diff();
    }

    @Override
    protected ToolResult apply(PlannedChange<FixPlan> plan, ObjectNode args, ToolContext ctx) {
        ProjectRef p = plan.data().project();
        FixPlan fix = plan.data();
        ObjectNode commit = Json.object();
        commit.put("branch", fix.branch());
        commit.put("start_branch", fix.target());
        commit.put("commit_message", fix.commitMessage());
        ObjectNode action = commit.putArray("actions").addObject();
        action.put("action", "update");
        action.put("file_path", fix.change().path());
        action.put("content", fix.change().after());
        JsonNode committed = p.client().post(p.api("/repository/commits"), commit, ctx.deadline());
        ObjectNode mr = Json.object();
        mr.put("source_branch", fix.branch());
        mr.put("target_branch", fix.target());
        mr.put("title", fix.title());
        mr.put("description", fix.description());
        mr.put("remove_source_branch", true);
        JsonNode created = p.client().post(p.api("/merge_requests"), mr, ctx.deadline());
        ObjectNode out = Json.result(p);
        out.put("dry_run", false);
        out.put("summary", plan.change().summary());
        out.put("branch", fix.branch());
        out.put("commit", Json.text(committed, "id", null));
        out.set("merge_request", MergeRequests.summary(created));
        out.put("diff", fix.change().diff());
        return ToolResult.ok(
                "Opened merge request !" + Json.text(created, "iid", "?") + " " + Json.text(created, "web_url", "")
                        + " from " + fix.branch() + " into " + fix.target() + "\n"
                        + fix.change().diff(),
                out);
    }

    /**
     * A missing import becomes a requirement only when {@link PythonImportResolver} has evidence of the
     * distribution's name; a module of the repository or of the standard library, or an unknown name, is
     * refused with what is known.
     */
    private static FileChange pythonRequirement(RepoFiles files, RepoTree tree, String module) {
        PythonImportResolver.Resolution r = PythonImportResolver.resolve(module, files, tree);
        if (r.distribution() == null) {
            throw new FixException(r.why());
        }
        FileChange change = PythonRequirementFix.plan(files, r.distribution());
        return new FileChange(change.path(), change.before(), change.after(), change.note() + "; " + r.why());
    }

    /**
     * The repository tree at {@code ref} ({@code GET /projects/:id/repository/tree?recursive=true}), read when
     * first needed; a tree of {@value #MAX_TREE_ENTRIES} entries or more is refused rather than searched in part.
     */
    private static RepoTree tree(ProjectRef p, String ref, Instant deadline) {
        return new RepoTree() {
            private List<String> paths;

            @Override
            public List<String> paths() {
                if (paths == null) {
                    List<JsonNode> entries;
                    boolean truncated;
                    try {
                        Paging.Collected<JsonNode> tree = p.client()
                                .collect(
                                        p.api("/repository/tree"),
                                        Map.of("ref", ref, "recursive", "true"),
                                        MAX_TREE_ENTRIES,
                                        deadline);
                        entries = tree.items();
                        truncated = tree.truncated();
                    } catch (GitLabApiException e) {
                        if (e.status() != 404) {
                            throw e;
                        }
                        entries = List.of();
                        truncated = false;
                    }
                    if (truncated || entries.size() >= MAX_TREE_ENTRIES) {
                        throw new FixException("the repository tree has more entries than are read ("
                                + MAX_TREE_ENTRIES + "); a module of the repository cannot be ruled out, so no "
                                + "package is proposed");
                    }
                    paths = entries.stream()
                            .map(e -> e.path("path").asString(""))
                            .filter(s -> !s.isEmpty())
                            .toList();
                }
                return paths;
            }
        };
    }

    /**
     * The job-timeout fix planned on {@code .gitlab-ci.yml} at the pipeline's commit (the configuration that
     * ran); refused when the target branch's file differs since, so the commit replaces nothing unseen.
     */
    private FileChange jobTimeout(
            ProjectRef p, Pipeline pipeline, String target, String jobName, String observed, Instant deadline) {
        String sha = pipeline.shaOrEmpty();
        if (sha.isEmpty()) {
            throw new FixException("the pipeline has no commit sha");
        }
        FileChange change = CiJobTimeoutFix.plan(path -> read(p, path, sha, deadline), jobName, observed, yaml);
        Optional<String> now = read(p, CiJobTimeoutFix.CI_FILE, target, deadline);
        if (!now.map(change.before()::equals).orElse(false)) {
            throw new FixException(CiJobTimeoutFix.CI_FILE + " on " + target + " changed since the pipeline ran at "
                    + Json.shortSha(sha) + "; run the pipeline again on the current commit first");
        }
        return change;
    }

    /** The branch the fix goes into: the pipeline's branch, or the source branch of its merge request. */
    private String targetBranch(ProjectRef p, Pipeline pipeline, Instant deadline) {
        if (pipeline.tag()) {
            throw new ToolException(
                    Kind.INVALID_ARGUMENT,
                    "pipeline " + (pipeline.id() == null ? 0 : pipeline.id()) + " ran for tag "
                            + (pipeline.ref() == null ? "?" : pipeline.ref())
                            + "; fixes are proposed for branches only");
        }
        String ref = pipeline.refOrEmpty();
        Long iid = Pipelines.mergeRequestIid(ref);
        if (iid != null) {
            JsonNode mr = p.client().get(p.api("/merge_requests/" + iid), Map.of(), deadline);
            return mr.path("source_branch").asString("");
        }
        return ref;
    }

    /** Refuses a branch that exists, is the default branch or matches a protected-branch pattern. */
    private void guard(ProjectRef p, String branch, Instant deadline) {
        JsonNode project = p.client().get(p.api(""), Map.of(), deadline);
        if (branch.equals(project.path("default_branch").asString(""))) {
            throw new ToolException(Kind.FORBIDDEN, "refusing to write to the default branch " + branch);
        }
        for (JsonNode pb : p.client().list(p.api("/protected_branches"), Map.of(), 100, deadline)) {
            String pattern = pb.path("name").asString("");
            if (wildcard(pattern).matcher(branch).matches()) {
                throw new ToolException(
                        Kind.FORBIDDEN,
                        "refusing to write to branch " + branch + ": it matches the protected-branch pattern "
                                + pattern);
            }
        }
        try {
            p.client().get(p.api("/repository/branches/" + GitLabClient.segment(branch)), Map.of(), deadline);
        } catch (GitLabApiException e) {
            if (e.status() == 404) {
                return;
            }
            throw e;
        }
        throw new ToolException(
                Kind.INVALID_ARGUMENT,
                "branch " + branch + " already exists in " + p.path()
                        + "; a fix for this pipeline was proposed before (see gitlab_merge_requests)");
    }

    /** GitLab protected-branch wildcards: {@code *} matches any characters. */
    private static Pattern wildcard(String pattern) {
        StringBuilder re = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (re.length() > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }

    private static Optional<String> read(ProjectRef p, String path, String ref, Instant deadline) {
        try {
            JsonNode file = p.client()
                    .get(p.api("/repository/files/" + GitLabClient.segment(path)), Map.of("ref", ref), deadline);
            String content = file.path("content").asString("");
            return Optional.of(
                    "base64".equals(file.path("encoding").asString(""))
                            ? new String(Base64.getMimeDecoder().decode(content), StandardCharsets.UTF_8)
                            : content);
        } catch (GitLabApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
