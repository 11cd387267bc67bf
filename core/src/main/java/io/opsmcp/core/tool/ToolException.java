package io.opsmcp.core.tool;

/**
 * A failure a client should see as a tool error. The message goes to the client (after redaction), so it
 * must say what failed and what to do about it, never carry a stack trace or a secret.
 */
public class ToolException extends RuntimeException {

    /** Broad classes of failure, used for the audit outcome and for the text prefix the client sees. */
    public enum Kind {
        /** Arguments are wrong (beyond what the JSON Schema catches). */
        INVALID_ARGUMENT,
        /** The named resource (host, service, unit) is not configured or does not exist. */
        NOT_FOUND,
        /** The call is outside what configuration allows. */
        FORBIDDEN,
        /** A remote system could not be reached or refused us. */
        UNAVAILABLE,
        /** The call ran past its deadline. */
        TIMEOUT,
        /** A bug or an unexpected state on our side. */
        INTERNAL
    }

    private final Kind kind;

    public ToolException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ToolException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
