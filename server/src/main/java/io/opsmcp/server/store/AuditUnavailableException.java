package io.opsmcp.server.store;

/** The audit log cannot be written or read; callers refuse mutating tools while this happens. */
public class AuditUnavailableException extends StoreException {

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
