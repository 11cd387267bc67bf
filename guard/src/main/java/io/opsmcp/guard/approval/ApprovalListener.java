package io.opsmcp.guard.approval;

/**
 * Told of every approval lifecycle step made through an {@link ApprovalService} (registered with
 * {@link ApprovalService#addListener}). Called on the thread that made the change, after the store committed it:
 * an implementation must return quickly (hand the event to its own queue) and must not throw; an exception is
 * swallowed so the committed change stands. Changes made by other processes are not seen.
 */
@FunctionalInterface
public interface ApprovalListener {

    void onEvent(ApprovalEvent event);
}
