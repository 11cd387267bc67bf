package io.opsmcp.guard.gateway;

import io.opsmcp.core.tool.CancellationSignal;

/**
 * The cancellation of one tool call: fired by the gateway when the call's deadline passes or its thread is
 * interrupted (and, with MCP {@code notifications/cancelled}, by the transport). Actions registered by the tool run
 * once, on the thread that cancels; an action registered after the cancellation runs at once; a failing action does
 * not keep the others from running (one tool's failing clean-up must not keep the others from stopping their remote
 * work). Besides the signal it records whether the client cancelled and what the call had sent when it passed its
 * point of no return, both under the signal's monitor.
 */
final class CallCancellation extends CancellationSignal {

    private boolean byClient;
    private String sent;

    /**
     * Passes the point of no return unless already cancelled (atomically with {@link #cancel}, so a change is
     * either not sent or reported as sent).
     */
    @Override
    public synchronized boolean pointOfNoReturn(String what) {
        if (cancelled()) {
            return false;
        }
        sent = what;
        return true;
    }

    /** What the call had sent when it passed its point of no return, or {@code null}. */
    synchronized String sent() {
        return sent;
    }

    /** Whether the client cancelled the call (rather than the deadline). */
    synchronized boolean byClient() {
        return byClient;
    }

    /** The client cancelled the request (MCP {@code notifications/cancelled}). */
    void cancelByClient() {
        cancel(() -> byClient = true);
    }
}
