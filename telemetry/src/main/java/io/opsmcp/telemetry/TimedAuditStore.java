package io.opsmcp.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.DelegatingAuditStore;

/**
 * An {@link AuditStore} that times every append into {@code opsmcp.audit.append} (timer with histogram buckets;
 * labels {@code forced}: {@code true} when the record was forced to disk, {@code result}: {@code ok} or
 * {@code error}). Behaviour is the delegate's: exceptions pass through unchanged.
 */
final class TimedAuditStore extends DelegatingAuditStore {

    private final MeterRegistry registry;

    TimedAuditStore(AuditStore delegate, MeterRegistry registry) {
        super(delegate);
        this.registry = registry;
    }

    @Override
    public AuditEntry append(AuditEvent event, boolean forceToDisk) {
        long start = System.nanoTime();
        String result = "error";
        try {
            AuditEntry entry = super.append(event, forceToDisk);
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
}
