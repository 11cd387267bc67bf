package io.opsmcp.deploy;

import io.opsmcp.tools.aws.client.AwsAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The IAM actions the aws toolset can call, from {@link AwsAction} — the enum every AWS call goes through, which
 * {@code toolsets/aws} IamActionsTest checks against {@code IAM_ACTIONS.md} and against what the tools really send.
 * The Terraform modules' {@code iam-actions.json} must say exactly this.
 *
 * @param readOnly the actions of the read-only tools
 * @param mutating the actions only the mutating tools call
 */
record IamActions(Set<String> readOnly, Set<String> mutating) {

    /** Permissions that are not AWS API operations of a tool, and the only ones a policy may add: see IAM_ACTIONS.md. */
    static final Set<String> NOT_API_CALLS = Set.of("iam:PassRole", "sts:AssumeRole");

    IamActions {
        readOnly = new TreeSet<>(readOnly);
        mutating = new TreeSet<>(mutating);
    }

    /** What the code calls. */
    static IamActions ofCode() {
        return new IamActions(
                new TreeSet<>(Arrays.stream(AwsAction.values())
                        .filter(a -> !a.mutating())
                        .map(AwsAction::iamAction)
                        .toList()),
                new TreeSet<>(Arrays.stream(AwsAction.values())
                        .filter(AwsAction::mutating)
                        .map(AwsAction::iamAction)
                        .toList()));
    }

    /** Every action, read-only then mutating. */
    Set<String> all() {
        Set<String> all = new TreeSet<>(readOnly);
        all.addAll(mutating);
        return all;
    }

    /**
     * How {@code granted} (API actions of a policy, without {@link #NOT_API_CALLS}) differs from {@code expected}:
     * one line per action a tool calls that the policy lacks, and per action granted that no tool calls.
     */
    static List<String> differences(String policy, Set<String> granted, Set<String> expected) {
        List<String> out = new ArrayList<>();
        for (String a : expected) {
            if (!granted.contains(a)) {
                out.add(policy + " lacks " + a + ", which a tool calls (io.opsmcp.tools.aws.client.AwsAction)");
            }
        }
        for (String a : granted) {
            if (!expected.contains(a)) {
                out.add(policy + " grants " + a + ", which no tool calls (least privilege: IAM_ACTIONS.md)");
            }
        }
        return out;
    }
}
