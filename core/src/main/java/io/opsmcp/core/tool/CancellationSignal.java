package io.opsmcp.core.tool;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ToolContext.Cancellation} that its owner fires with {@link #cancel()}: the client's
 * {@code notifications/cancelled} (server), or a test. Each registered action runs once, on the thread that cancels;
 * an action registered after the cancellation runs at once; a failing action does not keep the others from running
 * (it is handed to {@link #actionFailed}).
 */
public class CancellationSignal implements ToolContext.Cancellation {

    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

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
     * Cancels and runs the registered actions.
     *
     * @return false when it was already cancelled (nothing runs twice)
     */
    public boolean cancel() {
        return cancel(() -> {});
    }

    /**
     * Cancels as {@link #cancel()} does, and runs {@code whileLocked} under this signal's monitor at the moment it
     * becomes cancelled (not at all when it already was), so a subclass can record why atomically with the flag.
     *
     * @return false when it was already cancelled
     */
    protected final boolean cancel(Runnable whileLocked) {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            whileLocked.run();
            toRun = List.copyOf(actions);
            actions.clear();
        }
        for (Runnable action : toRun) {
            try {
                action.run();
            } catch (RuntimeException e) {
                actionFailed(e);
            }
        }
        return true;
    }

    /** Called with an action's failure; the other actions still run. Does nothing by default. */
    protected void actionFailed(RuntimeException failure) {}
}
