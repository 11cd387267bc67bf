package io.opsmcp.guard.audit;

/**
 * An {@link AuditStore} that tells a listener after each record it appended, so a server can announce that
 * {@code ops://audit/recent} changed. The listener runs on the appending thread after the record is stored; a
 * listener that throws does not undo or fail the append.
 */
public final class ObservedAuditStore extends DelegatingAuditStore {

    private final Runnable onAppend;

    /**
     * @param delegate the store that keeps the records
     * @param onAppend runs after every successful append; must be quick (hand work to another thread)
     */
    public ObservedAuditStore(AuditStore delegate, Runnable onAppend) {
        super(delegate);
        this.onAppend = onAppend;
    }

    @Override
    public AuditEntry append(AuditEvent event, boolean forceToDisk) {
        AuditEntry entry = super.append(event, forceToDisk);
        try {
            onAppend.run();
        } catch (RuntimeException ignored) {
            // the record is stored; a failing announcement must not turn that into an error
        }
        return entry;
    }
}
