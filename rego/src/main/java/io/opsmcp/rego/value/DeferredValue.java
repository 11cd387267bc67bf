package io.opsmcp.rego.value;

import java.util.function.Supplier;

/**
 * A value computed when it is first needed, at most once, by any number of threads: the member of an input
 * object that is costly to compute and that a policy may not read ({@link ObjectValue#withDeferred}). The
 * supplier's result, or the exception it threw, is kept: every later {@link #get()} returns the same value or
 * fails the same way without calling it again.
 */
public final class DeferredValue {
    private final Supplier<? extends Value> supplier;
    private volatile Value value;
    private volatile RuntimeException failure;

    /** @param supplier computes the value; must not return null */
    public DeferredValue(Supplier<? extends Value> supplier) {
        this.supplier = supplier;
    }

    /**
     * The value, computed on the first call.
     *
     * @throws DeferredValueException when the supplier threw (its exception is the cause) or returned null
     */
    public Value get() {
        Value v = value;
        if (v != null) {
            return v;
        }
        synchronized (this) {
            if (value == null && failure == null) {
                try {
                    Value computed = supplier.get();
                    if (computed == null) {
                        throw new IllegalStateException("the deferred value's supplier returned null");
                    }
                    value = computed;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw new DeferredValueException(failure);
            }
            return value;
        }
    }

    /** Whether the supplier was called (whatever it did). */
    public boolean requested() {
        return value != null || failure != null;
    }

    /** Whether the supplier was called and failed: a result computed while it was unavailable must not be used. */
    public boolean failed() {
        return failure != null;
    }

    /** A deferred value that could not be computed; the cause is the supplier's exception. */
    public static final class DeferredValueException extends RuntimeException {
        DeferredValueException(RuntimeException cause) {
            super("a deferred input value could not be computed: " + cause.getMessage(), cause);
        }
    }
}
