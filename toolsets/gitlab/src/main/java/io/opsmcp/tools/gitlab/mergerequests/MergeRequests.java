package io.opsmcp.tools.gitlab.mergerequests;

import io.opsmcp.tools.gitlab.Json;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What the merge request tools (and gitlab_propose_fix) share: the states, the limits, the summary of a merge request. */
public final class MergeRequests {

    static final List<String> STATES = List.of("opened", "closed", "merged", "locked", "all");
    static final int MAX_TITLE = 255;
    static final int MAX_BODY = 20_000;

    private MergeRequests() {}

    /** The members of a merge request every result shows, with the author's username. */
    public static ObjectNode summary(JsonNode mr) {
        ObjectNode o = Json.pick(
                mr,
                "iid",
                "title",
                "state",
                "draft",
                "source_branch",
                "target_branch",
                "detailed_merge_status",
                "sha",
                "merge_commit_sha",
                "created_at",
                "updated_at",
                "merged_at",
                "web_url");
        o.put("author", mr.path("author").path("username").asString(null));
        return o;
    }
}
