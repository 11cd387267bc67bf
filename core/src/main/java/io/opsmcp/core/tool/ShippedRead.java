package io.opsmcp.core.tool;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The outcome of reading something a toolset ships (a catalog, prompts): the value, or the exception every use
 * throws again. Held in a holder class's constant, it makes the read happen once per process, by whichever thread
 * uses it first ({@link OpsToolsetProvider#prepare()} ahead of the start, or {@code create}), and makes a shipped
 * file that does not read fail every use with the same error, naming the file: never an empty catalog.
 *
 * @param value   what was read ({@code null} when the read failed)
 * @param failure why the read failed, or {@code null}
 * @param <T>     what is read
 */
public record ShippedRead<T>(T value, RuntimeException failure) {

    /**
     * Runs {@code read} now and keeps its result, or the runtime exception it threw.
     *
     * @throws NullPointerException when {@code read} returns {@code null}
     */
    public static <T> ShippedRead<T> of(Supplier<T> read) {
        try {
            return new ShippedRead<>(Objects.requireNonNull(read.get(), "a shipped read returned null"), null);
        } catch (RuntimeException e) {
            return new ShippedRead<>(null, e);
        }
    }

    /** The value read, or the read's exception (the same instance at every use). */
    public T get() {
        if (failure != null) {
            throw failure;
        }
        return value;
    }
}
