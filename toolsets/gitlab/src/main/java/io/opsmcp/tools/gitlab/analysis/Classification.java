package io.opsmcp.tools.gitlab.analysis;

import io.opsmcp.tools.gitlab.trace.TraceLine;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Why one job failed, as far as the rule library tells.
 *
 * @param category    category id ({@code missing-python-package}, …), {@code unknown} when no rule held
 * @param title       the category's title
 * @param confidence  0..1, the winning rule's confidence
 * @param ruleId      the rule that decided, {@code null} for {@code unknown}
 * @param evidence    trace lines that matched (with a little context), in trace order
 * @param facts       history facts that held, in words (e.g. "job unit-tests passed on retry in pipeline 1002")
 * @param extracted   fields the rule extracted (package, variable, timeout, …), aliases applied
 * @param nextStep    the suggested tool call
 * @param fix         the mechanical fix gitlab_propose_fix can make, or {@code null}
 * @param alsoMatched other categories whose rules held, best first
 */
public record Classification(
        String category,
        String title,
        double confidence,
        String ruleId,
        List<TraceLine> evidence,
        List<String> facts,
        Map<String, String> extracted,
        Step nextStep,
        String fix,
        List<String> alsoMatched) {

    /** A tool call with resolved arguments. */
    public record Step(String tool, ObjectNode arguments, String reason) {}
}
