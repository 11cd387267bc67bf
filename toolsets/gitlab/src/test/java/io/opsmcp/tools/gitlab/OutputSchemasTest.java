package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.testing.ToolDefinitionChecks;
import io.opsmcp.tools.gitlab.sandbox.GitLabSandbox;
import io.opsmcp.tools.gitlab.sandbox.GitLabSandboxProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every GitLab tool, run against the sandbox (mutating ones as a dry run and for real), returns structured content
 * that validates against its published output schema and declares every member it returns. A new tool without an
 * entry here fails the test, so no tool escapes the check.
 */
class OutputSchemasTest {

    private static final String P = "\"project\":\"shop/checkout\"";

    /** Arguments per tool, each call made as written; mutating tools also once more with dry_run. */
    private static final Map<String, List<String>> CALLS = Map.ofEntries(
            Map.entry("gitlab_project", List.of("{" + P + "}")),
            Map.entry("gitlab_pipelines", List.of("{" + P + "}", "{" + P + ",\"ref\":\"main\",\"since\":\"30d\"}")),
            Map.entry(
                    "gitlab_pipeline", List.of("{" + P + ",\"pipeline_id\":1001}", "{" + P + ",\"pipeline_id\":1003}")),
            Map.entry(
                    "gitlab_pipeline_failure_analysis",
                    List.of("{" + P + ",\"pipeline_id\":1003}", "{" + P + ",\"pipeline_id\":1004}")),
            Map.entry(
                    "gitlab_job_log",
                    List.of(
                            "{" + P + ",\"job_id\":5022,\"tail_lines\":5}",
                            "{" + P + ",\"job_id\":5022,\"grep\":\"Error\"}")),
            Map.entry("gitlab_commits", List.of("{" + P + ",\"ref\":\"main\"}")),
            Map.entry("gitlab_compare", List.of("{" + P + ",\"from\":\"4b7d2a91\",\"to\":\"main\"}")),
            Map.entry("gitlab_merge_requests", List.of("{" + P + "}")),
            Map.entry("gitlab_merge_request", List.of("{" + P + ",\"iid\":7}")),
            Map.entry("gitlab_retry_job", List.of("{" + P + ",\"job_id\":5022}")),
            Map.entry("gitlab_retry_pipeline", List.of("{" + P + ",\"pipeline_id\":1003}")),
            // the sandbox has no running pipeline; MutatingToolsTest cancels one (Calls.call checks every result)
            Map.entry("gitlab_cancel_pipeline", List.of()),
            Map.entry("gitlab_comment_merge_request", List.of("{" + P + ",\"iid\":7,\"body\":\"LGTM\"}")),
            // the sandbox has one branch (main), so no merge request can be opened; its result is the shape
            // gitlab_propose_fix returns for the merge request it opens (MergeRequests.summary), checked here
            Map.entry("gitlab_create_merge_request", List.of()),
            Map.entry("gitlab_propose_fix", List.of("{" + P + ",\"pipeline_id\":1003}")));

    @Test
    void everyToolsResultMatchesItsOutputSchema(@TempDir Path dir) {
        try (GitLabSandbox sandbox = (GitLabSandbox) new GitLabSandboxProvider().start(dir.resolve("sandbox"))) {
            JsonNode settings = sandbox.configure(Calls.args("{\"toolsets\":[\"gitlab\"]}"));
            OpsToolset toolset = new GitLabToolsetProvider().create(settings, dir);
            List<String> problems = new ArrayList<>();
            for (OpsTool tool : toolset.tools()) {
                String name = tool.definition().name();
                assertThat(CALLS).as("arguments to call " + name + " with").containsKey(name);
                for (String json : CALLS.get(name)) {
                    List<String> variants = tool.definition().readOnly()
                            ? List.of(json)
                            : List.of(json.replaceFirst("}$", ",\"dry_run\":true}"), json);
                    for (String args : variants) {
                        ObjectNode a = Calls.args(args);
                        ToolContext ctx = Calls.ctx(a.path("dry_run").asBoolean(false));
                        tool.describe(a, ctx);
                        ToolResult r = tool.execute(a, ctx);
                        assertThat(r.error())
                                .as(name + " " + args + ": " + r.text())
                                .isFalse();
                        problems.addAll(ToolDefinitionChecks.resultProblems(tool.definition(), r));
                    }
                }
            }
            toolset.close();
            assertThat(problems).isEmpty();
        }
    }
}
