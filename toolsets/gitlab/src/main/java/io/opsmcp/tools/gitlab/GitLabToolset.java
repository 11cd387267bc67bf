package io.opsmcp.tools.gitlab;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.tools.gitlab.analysis.Classifier;
import io.opsmcp.tools.gitlab.analysis.FailureAnalyzer;
import io.opsmcp.tools.gitlab.analysis.PipelineFailureAnalysisTool;
import io.opsmcp.tools.gitlab.analysis.RuleLibrary;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import io.opsmcp.tools.gitlab.commits.CommitsTool;
import io.opsmcp.tools.gitlab.commits.CompareTool;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import io.opsmcp.tools.gitlab.config.ProjectScope;
import io.opsmcp.tools.gitlab.fixes.ProposeFixTool;
import io.opsmcp.tools.gitlab.jobs.JobLogTool;
import io.opsmcp.tools.gitlab.jobs.RetryJobTool;
import io.opsmcp.tools.gitlab.mergerequests.CommentMergeRequestTool;
import io.opsmcp.tools.gitlab.mergerequests.CreateMergeRequestTool;
import io.opsmcp.tools.gitlab.mergerequests.ListMergeRequestsTool;
import io.opsmcp.tools.gitlab.mergerequests.MergeRequestTool;
import io.opsmcp.tools.gitlab.pipelines.CancelPipelineTool;
import io.opsmcp.tools.gitlab.pipelines.ListPipelinesTool;
import io.opsmcp.tools.gitlab.pipelines.PipelineTool;
import io.opsmcp.tools.gitlab.pipelines.RetryPipelineTool;
import io.opsmcp.tools.gitlab.projects.ProjectResolver;
import io.opsmcp.tools.gitlab.projects.ProjectTool;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code gitlab} toolset: nine read-only tools (projects, pipelines, job logs, failure analysis, commits,
 * compare, merge requests) and six mutating ones (retry job/pipeline, cancel pipeline, open/comment merge request,
 * propose a fix), all scoped to the configured project patterns.
 */
final class GitLabToolset implements OpsToolset {

    static final String NAME = "gitlab";
    static final String DESCRIPTION = "GitLab pipelines, job logs, failure analysis with a rule library, commits "
            + "and merge requests; guarded retries and fix merge requests";

    private final GitLabSettings settings;
    private final List<OpsTool> tools;

    /**
     * @param clients one client per configured instance, keyed by instance name, in configuration order
     */
    GitLabToolset(GitLabSettings settings, Map<String, GitLabClient> clients, RuleLibrary rules, Clock clock) {
        this.settings = settings;
        GitLabContext gl = new GitLabContext(
                settings, new ProjectResolver(new LinkedHashMap<>(clients)), new Classifier(rules), clock);
        FailureAnalyzer analyzer = new FailureAnalyzer(gl);
        this.tools = List.of(
                new ProjectTool(gl),
                new ListPipelinesTool(gl),
                new PipelineTool(gl),
                new RetryPipelineTool(gl),
                new CancelPipelineTool(gl),
                new JobLogTool(gl),
                new RetryJobTool(gl),
                new PipelineFailureAnalysisTool(gl, analyzer),
                new CommitsTool(gl),
                new CompareTool(gl),
                new ListMergeRequestsTool(gl),
                new MergeRequestTool(gl),
                new CreateMergeRequestTool(gl),
                new CommentMergeRequestTool(gl),
                new ProposeFixTool(gl, analyzer));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public List<OpsTool> tools() {
        return tools;
    }

    /** Completes {@code project} from the configured patterns that name one project (no wildcards). */
    @Override
    public List<String> complete(String argument, String prefix, Map<String, String> context) {
        if (!"project".equals(argument)) {
            return List.of();
        }
        return settings.instances().stream()
                .flatMap(i -> i.projects().stream())
                .map(ProjectScope::pattern)
                .filter(p -> !p.contains("*") && !p.contains("?") && p.startsWith(prefix == null ? "" : prefix))
                .distinct()
                .limit(100)
                .toList();
    }

    /** A project path names that project ({@code gitlab:project}); the policy places it by its path. */
    @Override
    public ActionDescriptor describeCompletion(String argument, String value, Map<String, String> context) {
        return "project".equals(argument)
                ? ActionDescriptor.read("gitlab", "gitlab:project", null, value, Map.of("project", value))
                : null;
    }
}
