package io.opsmcp.alerts.hooks;

import io.opsmcp.alerts.Alert;
import io.opsmcp.alerts.AlertReport;
import io.opsmcp.alerts.AlertSettings;
import io.opsmcp.alerts.ResourceMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * GitLab webhooks with pipeline events ({@code X-Gitlab-Event: Pipeline Hook}, {@code object_kind: pipeline}).
 * Authenticated by the webhook's secret token in {@code X-Gitlab-Token}, compared in constant time. A failed
 * pipeline fires an alert for its project and ref; a later successful pipeline on the same ref resolves it; other
 * states and other events are accepted and ignored.
 */
final class GitLabReceiver implements Receiver {

    private final AlertSettings.GitLabHook hook;

    GitLabReceiver(AlertSettings.GitLabHook hook) {
        this.hook = hook;
    }

    @Override
    public Alert.Source source() {
        return Alert.Source.GITLAB;
    }

    @Override
    public int maxBodyBytes() {
        return hook.maxBodyBytes();
    }

    @Override
    public void authenticate(Headers headers) throws Refused {
        String token = headers.first("X-Gitlab-Token");
        if (token == null) {
            throw new Refused(401, "unauthorized", "gitlab: no X-Gitlab-Token header");
        }
        if (!hook.token().matches(token)) {
            throw new Refused(401, "unauthorized", "gitlab: invalid X-Gitlab-Token");
        }
    }

    @Override
    public Parsed parse(Headers headers, byte[] body) throws Refused {
        JsonNode event = Payloads.parse(body, "gitlab");
        if (!"pipeline".equals(event.path("object_kind").asString(""))) {
            return new Parsed(List.of(), 1, "only pipeline events are taken in");
        }
        JsonNode attributes = event.path("object_attributes");
        String project = Payloads.text(event.path("project"), "path_with_namespace");
        String ref = Payloads.text(attributes, "ref");
        String status = attributes.path("status").asString("");
        if (project == null || ref == null) {
            throw Refused.badRequest(
                    "gitlab: a pipeline event needs project.path_with_namespace and" + " object_attributes.ref");
        }
        Alert.Status st;
        if ("failed".equals(status)) {
            st = Alert.Status.FIRING;
        } else if ("success".equals(status)) {
            st = Alert.Status.RESOLVED;
        } else {
            return new Parsed(List.of(), 1, null);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("project", project);
        labels.put("ref", ref);
        String pipeline =
                attributes.path("id").isNumber() ? attributes.path("id").asString() : null;
        if (pipeline != null) {
            labels.put("pipeline_id", pipeline);
        }
        String source = Payloads.text(attributes, "source");
        if (source != null) {
            labels.put("source", source);
        }
        return new Parsed(
                List.of(new AlertReport(
                        Alert.Source.GITLAB,
                        project + "\n" + ref,
                        "pipeline_failed",
                        st,
                        null,
                        "pipeline " + (pipeline == null ? "" : "#" + pipeline + " ") + "on " + ref + " of " + project
                                + " " + status,
                        labels,
                        ResourceMapping.gitlabProject(project),
                        null,
                        null)),
                0,
                null);
    }
}
