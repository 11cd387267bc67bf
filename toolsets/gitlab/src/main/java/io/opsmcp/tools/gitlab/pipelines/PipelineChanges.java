package io.opsmcp.tools.gitlab.pipelines;

import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.toolkit.PlannedChange;
import io.opsmcp.tools.gitlab.GitLabArgs;
import io.opsmcp.tools.gitlab.GitLabMutatingTool;
import io.opsmcp.tools.gitlab.Json;
import io.opsmcp.tools.gitlab.projects.ProjectRef;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What the pipeline tools share: the status sets, the pipeline id argument, and the plan of a retry or cancel. */
final class PipelineChanges {

    static final List<String> STATUSES = List.of(
            "created",
            "waiting_for_resource",
            "preparing",
            "pending",
            "running",
            "success",
            "failed",
            "canceled",
            "skipped",
            "manual",
            "scheduled");
    /** Statuses in which GitLab can still cancel a pipeline. */
    static final Set<String> CANCELABLE =
            Set.of("created", "waiting_for_resource", "preparing", "pending", "running", "scheduled", "manual");

    private PipelineChanges() {}

    static final ArgSpec<Long> PIPELINE_ID =
            GitLabArgs.id("pipeline_id", "Pipeline id (global, as in its URL).").required();

    /** What both pipeline mutations carry: the pipeline as it is now. */
    record Current(ProjectRef project, long id, JsonNode pipeline) implements GitLabMutatingTool.OnProject {}

    static PlannedChange<Current> planOn(ProjectRef p, long id, String verb, JsonNode pipeline, String after) {
        String status = Json.text(pipeline, "status", "?");
        String ref = Json.text(pipeline, "ref", null);
        ObjectNode before = Json.pick(pipeline, "id", "status", "ref", "sha", "web_url");
        ObjectNode afterNode = Json.object();
        afterNode.put("id", id);
        afterNode.put("status", after);
        ChangePreview change = new ChangePreview(
                verb + " pipeline #" + id + " on " + ref + " in " + p.path() + " (status " + status + " -> " + after
                        + ")",
                before,
                afterNode);
        return new PlannedChange<>(p.change("gitlab:pipeline", ref, id, null, change), new Current(p, id, pipeline));
    }
}
