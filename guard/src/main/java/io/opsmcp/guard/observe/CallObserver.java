package io.opsmcp.guard.observe;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told about every {@code tools/call} once it has ended, whatever the outcome: the {@link
 * io.opsmcp.guard.gateway.ToolGateway} calls {@link #callEnded} on the caller's thread after the audit record of the
 * outcome is written and before the result goes back to the client. Telemetry (spans, metrics) implements it; the
 * guard knows no telemetry library.
 *
 * <p>An observer must be quick and must not throw; one that throws is logged and ignored, so observation never
 * changes a call's result or its audit record. What it is given carries no secret: the principal's id only (no
 * roles, no credential), no arguments and no result.
 */
@FunctionalInterface
public interface CallObserver {

    /** Observes nothing: the default of every gateway that is given no observer. */
    CallObserver NONE = call -> {};

    /** One call has ended. */
    void callEnded(ObservedCall call);

    /**
     * All of {@code observers}, in order; each is isolated from the others' failures.
     *
     * @return {@link #NONE} for an empty list, the observer itself for one
     */
    static CallObserver all(List<CallObserver> observers) {
        List<CallObserver> copy = List.copyOf(observers);
        if (copy.isEmpty()) {
            return NONE;
        }
        if (copy.size() == 1) {
            return copy.get(0);
        }
        return call -> copy.forEach(o -> safely(o, call));
    }

    /** Calls {@code observer}, logging instead of throwing: observation must not fail a call. */
    static void safely(CallObserver observer, ObservedCall call) {
        try {
            observer.callEnded(call);
        } catch (RuntimeException e) {
            Logger log = LoggerFactory.getLogger(CallObserver.class);
            log.warn("call observer {} failed: {}", observer.getClass().getName(), e.toString());
        }
    }
}
