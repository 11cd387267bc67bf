package io.opsmcp.toolkit;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A component whose construction is kept off the start-up path: built once, either on a background thread after
 * {@link #start()} (the server calls it once its first answer is out) or by the first caller of {@link #get()},
 * whichever comes first; later callers wait for that one construction. So a stdio server answers {@code initialize}
 * without opening its database or compiling its policy, and a call that comes before the background work is done
 * waits for it instead of failing.
 *
 * <p>A factory failure is remembered: every {@link #get()} throws it again (the caller fails closed), and
 * {@link #start()} logs nothing, the first user reports it.
 *
 * @param <T> the component; closed by {@link #close()} when it is {@link AutoCloseable}
 */
public final class Deferred<T> implements AutoCloseable {

    private final String name;
    private final FutureTask<T> task;
    private final AtomicBoolean started = new AtomicBoolean();

    /**
     * @param name    names the background thread ({@code ops-mcp-start-NAME}) and errors
     * @param factory builds the component; runs at most once
     */
    public Deferred(String name, Supplier<T> factory) {
        this.name = name;
        this.task = new FutureTask<>(factory::get);
    }

    /** Begins construction on a daemon thread unless it has begun already; returns at once. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            Thread thread = new Thread(task, "ops-mcp-start-" + name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * The component: builds it on this thread when nothing has started it yet, else waits for the construction
     * under way.
     *
     * @throws RuntimeException the factory's exception (the same one for every caller); an {@link Error} as is
     */
    public T get() {
        started.set(true);
        task.run(); // no-op when it already ran or runs on another thread
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // the construction is shared: keep waiting for it, restore the flag afterwards
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(name + ": " + cause.getMessage(), cause);
        } catch (CancellationException e) {
            throw new IllegalStateException(name + " was closed before it was built", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether construction has finished (successfully or not). */
    public boolean isDone() {
        return task.isDone();
    }

    /**
     * Closes the component if it was built (waiting for a construction under way); one never started is not built
     * any more.
     */
    @Override
    public void close() throws Exception {
        if (!started.getAndSet(true)) {
            task.cancel(false);
            return;
        }
        T value;
        try {
            value = get();
        } catch (RuntimeException | Error e) {
            return; // never built: nothing to close
        }
        if (value instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
