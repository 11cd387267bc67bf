package io.opsmcp.guard;

/** The store could not be opened, migrated or reached; the message says which and never holds a secret. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
