package io.opsmcp.alerts;

import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.VerifyResult;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An audit log in a list (no chain): what the alerts code appended, and a tail to read back. */
public final class RecordingAuditStore implements AuditStore {

    private final List<AuditEntry> entries = new ArrayList<>();

    @Override
    public synchronized AuditEntry append(AuditEvent event, boolean forceToDisk) {
        AuditEntry e = new AuditEntry(entries.size() + 1, event, AuditEntry.GENESIS_HASH, AuditEntry.GENESIS_HASH);
        entries.add(e);
        return e;
    }

    public synchronized List<AuditEvent> events() {
        return entries.stream().map(AuditEntry::event).toList();
    }

    @Override
    public synchronized List<AuditEntry> tail(int n) {
        return List.copyOf(entries.subList(Math.max(0, entries.size() - n), entries.size()));
    }

    @Override
    public void export(Writer out) {
        throw new UnsupportedOperationException();
    }

    @Override
    public VerifyResult verify() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<String> hashAt(long seq) {
        return Optional.empty();
    }

    @Override
    public long countMutationsOnResource(String resourceKey, Instant since) {
        return 0;
    }

    @Override
    public long countMutationsByPrincipal(String principal, Instant since) {
        return 0;
    }

    @Override
    public void close() {}
}
