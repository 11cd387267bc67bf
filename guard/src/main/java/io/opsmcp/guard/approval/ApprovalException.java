package io.opsmcp.guard.approval;

/** An approval rule refused a vote; the message names the approval and the rule, and is safe to show. */
public class ApprovalException extends RuntimeException {

    public ApprovalException(String message) {
        super(message);
    }
}
