package io.opsmcp.guard.approval;

/**
 * Asks the person at the client, in the middle of a call, to approve a change themselves (MCP elicitation).
 * Offered by the transport only when the client declared elicitation support; the guard uses it only when the
 * policy allows self-approval and the caller holds an approver role, so it never replaces a second person.
 */
@FunctionalInterface
public interface InBandApprover {

    /** The person's answer. */
    enum Answer {
        /** They approved the change. */
        APPROVED,
        /** They declined it, cancelled, or the question could not be asked. */
        NOT_APPROVED
    }

    /**
     * Shows the question and waits for the answer (bounded by the transport's request timeout).
     *
     * @param message what would change and why approval is needed
     */
    Answer ask(String message);
}
