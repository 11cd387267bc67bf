package io.opsmcp.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.VerifyResult;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An {@link AuditStore} that times every append into {@code opsmcp.audit.append} (timer with histogram buckets;
 * labels {@code forced}: {@code true} when the record was forced to disk, {@code result}: {@code ok} or
 * {@code error}). Behaviour is the delegate's: exceptions pass through unchanged.
 */
final class TimedAuditStore implements AuditStore {

    private final AuditStore delegate;
    private final MeterRegistry registry;

    TimedAuditStore(AuditStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public AuditEntry append(AuditEvent event, boolean forceToDisk) {
        long start = System.nanoTime();
        String result = "error";
        try {
            AuditEntry entry = delegate.append(event, forceToDisk);
            result = "ok";
            return entry;
        } finally {
            Timer.builder("opsmcp.audit.append")
                    .description("Audit log appends (hash chain and commit)")
                    .tag("forced", Boolean.toString(forceToDisk))
                    .tag("result", result)
                    .serviceLevelObjectives(Buckets.FAST)
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public List<AuditEntry> tail(int n) {
        return delegate.tail(n);
    }

    @Override
    public void export(Writer out) {
        delegate.export(out);
    }

    @Override
    public VerifyResult verify() {
        return delegate.verify();
    }

    @Override
    public Optional<String> hashAt(long seq) {
        return delegate.hashAt(seq);
    }

    @Override
    public long countMutationsOnResource(String resourceKey, Instant since) {
        return delegate.countMutationsOnResource(resourceKey, since);
    }

    @Override
    public long countMutationsByPrincipal(String principal, Instant since) {
        return delegate.countMutationsByPrincipal(principal, since);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
