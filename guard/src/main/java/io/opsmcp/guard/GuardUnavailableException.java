package io.opsmcp.guard;

/**
 * The guard cannot decide or audit calls at all: its store or its policy could not be opened (over stdio they are
 * opened off the start-up path, after {@code initialize} was answered). Every call is refused with this exception's
 * message, which a client may show: it says that nothing ran, what failed and what to do (the store's or the policy's
 * own message: a store held by another process, an unreachable database, a bundle that does not compile, naming file
 * and line), without a stack trace. Callers still redact it before it leaves the server. A {@link StoreException}, so
 * that whatever answers "store unavailable" for a store that fails while running (a webhook's 503) answers it here
 * too; the guard tells the two apart.
 */
public class GuardUnavailableException extends StoreException {

    /**
     * @param failure why the store or the policy did not open; its message is quoted (those of the store, the policy
     *     bundle and the configuration are written for the operator and show URLs without credentials), or its type
     *     when it has none
     */
    public GuardUnavailableException(Throwable failure) {
        super(message(failure), failure);
    }

    private static String message(Throwable failure) {
        String why = failure.getMessage() == null || failure.getMessage().isBlank()
                ? failure.getClass().getSimpleName()
                : failure.getMessage().strip();
        return "Refused, nothing was run: ops-mcp cannot decide or audit calls because its store or policy did not"
                + " open: " + why + (why.endsWith(".") ? "" : ".")
                + " Every call is refused until the operator fixes this and restarts the server.";
    }
}
