package io.opsmcp.tools.gitlab.fixes;

/** A mechanical fix cannot be made; the message says why and what to do instead. */
public final class FixException extends RuntimeException {

    public FixException(String message) {
        super(message);
    }
}
