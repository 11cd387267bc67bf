package io.opsmcp.server.gateway;

/**
 * Where every tool call is recorded. The current implementation is {@link JsonlAuditLog}; the policy guard
 * replaces it with a hash-chained store.
 */
public interface AuditLog extends AutoCloseable {

    /**
     * Appends one record durably before returning.
     *
     * @throws java.io.UncheckedIOException when the record cannot be written
     */
    void append(AuditRecord record);

    @Override
    void close();
}
