package io.opsmcp.tools.gitlab.analysis;

import java.util.Map;

/**
 * What the classifier knows about a job besides its trace.
 *
 * @param failureReason GitLab's {@code failure_reason} of the job ({@code script_failure},
 *                      {@code job_execution_timeout}, …) or {@code null}
 * @param history       history facts that hold ({@link RuleLibrary#HISTORY_FACTS}) with a sentence saying why
 * @param fields        the job placeholders ({@link RuleLibrary#JOB_PLACEHOLDERS}) for next-step arguments
 */
public record JobFacts(String failureReason, Map<String, String> history, Map<String, String> fields) {

    public JobFacts {
        history = history == null ? Map.of() : Map.copyOf(history);
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }
}
