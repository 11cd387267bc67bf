package io.opsmcp.tools.gitlab.pipelines;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * All attempts of one job name in a pipeline.
 *
 * @param latest   the current attempt (the one not marked {@code retried})
 * @param attempts every attempt, oldest first
 */
public record PipelineJob(String name, String stage, JsonNode latest, List<JsonNode> attempts) {

    public int retries() {
        return attempts.size() - 1;
    }

    public long id() {
        return latest.path("id").asLong();
    }

    public String status() {
        return latest.path("status").asString("");
    }

    public boolean anyAttempt(String status) {
        return attempts.stream().anyMatch(a -> status.equals(a.path("status").asString("")));
    }
}
