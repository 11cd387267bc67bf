package io.opsmcp.tools.gitlab.projects;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import io.opsmcp.tools.gitlab.client.GitLabClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A project a call may touch: its instance (and client), full path, environment, and the encoded path segment
 * for API URLs ({@code projects/shop%2Fcheckout}).
 *
 * @param client      the instance's client
 * @param path        full project path ({@code shop/checkout})
 * @param environment the environment its scope entry gives
 */
public record ProjectRef(GitLabClient client, String path, String environment) {

    /** The instance's configured name. */
    public String instance() {
        return client.instance().name();
    }

    /** {@code projects/<encoded path>} followed by {@code suffix} (which starts with {@code /} or is empty). */
    public String api(String suffix) {
        return "projects/" + GitLabClient.segment(path) + suffix;
    }

    /** Descriptor ids: instance and project always; ref, pipeline_id, job_id when given. */
    private Map<String, String> ids(String ref, Long pipelineId, Long jobId) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("instance", instance());
        ids.put("project", path);
        if (ref != null) {
            ids.put("ref", ref);
        }
        if (pipelineId != null) {
            ids.put("pipeline_id", Long.toString(pipelineId));
        }
        if (jobId != null) {
            ids.put("job_id", Long.toString(jobId));
        }
        return ids;
    }

    /** A read of {@code kind} in this project. */
    public ActionDescriptor read(String kind, String ref, Long pipelineId, Long jobId) {
        return ActionDescriptor.read("gitlab", kind, environment, path, ids(ref, pipelineId, jobId));
    }

    /** A change of {@code kind} in this project, with its preview. */
    public ActionDescriptor change(String kind, String ref, Long pipelineId, Long jobId, ChangePreview change) {
        return new ActionDescriptor("gitlab", kind, environment, path, ids(ref, pipelineId, jobId), change);
    }
}
