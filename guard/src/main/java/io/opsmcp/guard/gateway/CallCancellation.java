package io.opsmcp.guard.gateway;

import io.opsmcp.core.tool.ToolContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The cancellation of one tool call: fired by the gateway when the call's deadline passes or its thread is
 * interrupted (and, with MCP {@code notifications/cancelled}, by the transport). Actions registered by the tool run
 * once, on the thread that cancels; an action registered after the cancellation runs at once.
 */
final class CallCancellation implements ToolContext.Cancellation {

    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;
    private boolean byClient;
    private String sent;

    @Override
    public synchronized boolean cancelled() {
        return cancelled;
    }

    @Override
    public AutoCloseable onCancel(Runnable action) {
        synchronized (this) {
            if (!cancelled) {
                actions.add(action);
                return () -> {
                    synchronized (this) {
                        actions.remove(action);
                    }
                };
            }
        }
        action.run();
        return () -> {};
    }

    /**
     * Passes the point of no return unless already cancelled (atomically with {@link #cancel}, so a change is
     * either not sent or reported as sent).
     */
    @Override
    public synchronized boolean pointOfNoReturn(String what) {
        if (cancelled) {
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

    /** Cancels the call and runs the registered actions; a failing action does not stop the others. */
    void cancel() {
        cancel(false);
    }

    /** The client cancelled the request (MCP {@code notifications/cancelled}). */
    void cancelByClient() {
        cancel(true);
    }

    private void cancel(boolean client) {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            byClient = client;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        for (Runnable action : toRun) {
            try {
                action.run();
            } catch (RuntimeException ignored) {
                // one tool's failing clean-up must not keep the others from stopping their remote work
            }
        }
    }
}
