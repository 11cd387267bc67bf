package io.opsmcp.guard.gateway;

import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * Runs tasks on {@code delegate} with the submitting thread's SLF4J MDC (the request id and principal the transport
 * set), so what a tool logs on its {@code tool-call-N} thread carries them too; the worker's own MDC is restored
 * afterwards, so nothing leaks into the next call that reuses the thread.
 */
final class MdcExecutor extends AbstractExecutorService {

    private final ExecutorService delegate;

    MdcExecutor(ExecutorService delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        delegate.execute(new WithContext(MDC.getCopyOfContextMap(), task));
    }

    /**
     * {@code task} under {@code context}, then the worker's own MDC again. A class rather than a lambda: C1 (the
     * container's {@code -XX:TieredStopAtLevel=1}) creates a capturing lambda through a runtime call, per task.
     */
    private static final class WithContext implements Runnable {
        private final Map<String, String> context;
        private final Runnable task;

        WithContext(Map<String, String> context, Runnable task) {
            this.context = context;
            this.task = task;
        }

        @Override
        public void run() {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            set(context);
            try {
                task.run();
            } finally {
                set(previous);
            }
        }
    }

    private static void set(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }
}
