package io.opsmcp.guard.audit;

import io.opsmcp.guard.StoreException;

/** The audit log cannot be written or read; callers refuse mutating tools while this happens. */
public class AuditUnavailableException extends StoreException {

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
