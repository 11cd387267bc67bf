package io.opsmcp.store.jdbc;

import io.opsmcp.guard.audit.AuditAnchor;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditJson;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.AuditUnavailableException;
import io.opsmcp.guard.audit.CanonicalJson;
import io.opsmcp.guard.audit.VerifyResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * {@link AuditStore} over JDBC, the same SQL for H2 and PostgreSQL. Appends lock the single
 * {@code audit_chain} row for the length of their transaction, which orders them into one chain across threads
 * and across processes sharing the database: with a compare-and-set {@code UPDATE} from the head this store last
 * wrote (one statement, the common case of a single writer), else with {@code SELECT … FOR UPDATE}.
 *
 * <p>Group commit: one thread of this store writes at a time; appends that arrive meanwhile wait, and the next
 * writer takes all of them (up to {@value #MAX_BATCH}) into one transaction — one move of the head, their inserts,
 * one commit, one forced write when any of them asks for it — and one signed checkpoint of the batch's newest
 * record, whose hash commits to every record before it. Each caller returns only once its own record is committed
 * (durable when asked) and covered by that checkpoint; a batch that fails is rolled back whole and every caller in
 * it gets the failure. A writer never waits for more appends to arrive: alone, an append is a batch of one.
 */
final class JdbcAuditStore implements AuditStore {

    private static final String COLUMNS = "seq, event_time, request_id, principal, auth, tool, toolset, resource,"
            + " resource_key, args, decision, reasons, approval_id, approvers, phase, duration_ms, result_digest,"
            + " error, prev_hash, hash";

    /** Records per transaction at most, so that a burst of large records does not make one huge transaction. */
    static final int MAX_BATCH = 64;

    private final DataSource dataSource;
    private final boolean checkpoint;
    private final AuditAnchor anchor;
    private final Runnable onFailure;
    /** Appends waiting to be written, oldest first; taken only by the writer. */
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    /** Guards {@link #writing}; {@link #written} is signalled after every batch. */
    private final ReentrantLock appendLock = new ReentrantLock();

    private final Condition written = appendLock.newCondition();
    /**
     * Whether a thread of this store is writing a batch (or rehearsing); only that thread touches {@link #head}
     * and the database's head row for this store, so its appends never contend for the row among themselves; the
     * database's row lock still orders them against other writers.
     */
    private boolean writing;
    /**
     * The chain head as this store last committed it ({@code null}: unknown, read it under the row lock). Only a
     * guess: a batch moves the head row only where it still holds this head (see {@link #moveKnownHead}). Read and
     * written only by the thread that set {@link #writing}.
     */
    private Head head;

    /** A chain head: the newest record's seq and hash. */
    private record Head(long seq, String hash) {}

    /**
     * One caller's append. The writer that takes it sets {@code entry} or {@code failure}, then {@code done}, before
     * it signals {@link #written} under {@link #appendLock}, where the caller reads them.
     */
    private static final class Pending {
        final AuditEvent event;
        final boolean forceToDisk;
        AuditEntry entry;
        AuditUnavailableException failure;
        boolean done;

        Pending(AuditEvent event, boolean forceToDisk) {
            this.event = event;
            this.forceToDisk = forceToDisk;
        }
    }

    /**
     * @param checkpoint see {@link Sql#persist}
     * @param anchor     where each batch's signed checkpoint goes
     * @param onFailure  called when the database failed (Stores drops the pooled connections, which a failed
     *                   write, e.g. on a full disk, can leave unusable)
     */
    JdbcAuditStore(DataSource dataSource, boolean checkpoint, AuditAnchor anchor, Runnable onFailure) {
        this.dataSource = dataSource;
        this.checkpoint = checkpoint;
        this.anchor = Objects.requireNonNull(anchor, "anchor");
        this.onFailure = onFailure;
    }

    @Override
    public AuditEntry append(AuditEvent event, boolean forceToDisk) {
        Objects.requireNonNull(event, "event");
        Pending mine = new Pending(event, forceToDisk);
        waiting.add(mine);
        // Ends: a pass returns, or writes a batch from the head of the queue, where this append waits behind fewer
        // appends each time (no one is queued ahead of it later): at most (appends queued before it) / MAX_BATCH + 1
        // passes.
        while (true) {
            appendLock.lock();
            try {
                while (!mine.done && writing) {
                    written.awaitUninterruptibly(); // like the row lock it stands for: a record is not abandoned
                }
                if (mine.done) {
                    if (mine.failure != null) {
                        // the caller's own exception (its stack), the batch's failure as the cause
                        throw new AuditUnavailableException(mine.failure.getMessage(), mine.failure);
                    }
                    return mine.entry;
                }
                writing = true;
            } finally {
                appendLock.unlock();
            }
            try {
                writeBatch(); // takes this caller's append too, unless MAX_BATCH older ones fill the batch
            } finally {
                releaseWriter();
            }
        }
    }

    /** Appends waiting for a writer to take them (tests: to line a batch up behind a writer held up). */
    int waitingAppends() {
        return waiting.size();
    }

    /** Takes up to {@value #MAX_BATCH} waiting appends and writes them; every one taken ends done. */
    private void writeBatch() {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < MAX_BATCH && (next = waiting.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        List<AuditEntry> entries = null;
        AuditUnavailableException failure = null;
        // An interrupt meant for this caller (a cancelled call) must not fail the other callers' records in the
        // batch, e.g. by closing a file channel under the database: it is set again once the batch is written.
        boolean interrupted = Thread.interrupted();
        try {
            entries = write(batch);
        } catch (AuditUnavailableException e) {
            failure = e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            // also on an Error: no caller is left waiting for a record nobody will write
            for (int i = 0; i < batch.size(); i++) {
                Pending p = batch.get(i);
                if (entries != null) {
                    p.entry = entries.get(i);
                } else {
                    p.failure = failure != null
                            ? failure
                            : new AuditUnavailableException("audit record not written: the write failed", null);
                }
                p.done = true;
            }
        }
    }

    /** Writes the batch in one transaction and its newest record's checkpoint; all of it, or throws. */
    private List<AuditEntry> write(List<Pending> batch) {
        boolean force = false;
        List<AuditEvent> events = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            events.add(p.event);
            force |= p.forceToDisk;
        }
        List<AuditEntry> entries = appendToChain(events, force);
        try {
            anchor.record(entries.get(entries.size() - 1), force);
        } catch (IOException | RuntimeException e) {
            // The records are in the chain but not anchored: refuse the changes they would have allowed (fail
            // closed).
            throw new AuditUnavailableException(
                    "audit checkpoint not written to " + anchor.file() + ": " + Stores.rootMessage(e), e);
        }
        return entries;
    }

    private List<AuditEntry> appendToChain(List<AuditEvent> events, boolean forceToDisk) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<AuditEntry> entries = head == null ? null : moveKnownHead(c, head, events);
                if (entries == null) {
                    entries = moveLockedHead(c, events);
                }
                insert(c, entries);
                c.commit();
                AuditEntry newest = entries.get(entries.size() - 1);
                head = new Head(newest.seq(), newest.hash());
                Sql.persist(c, checkpoint && forceToDisk);
                return entries;
            } catch (SQLException | RuntimeException e) {
                head = null; // read from the database again by the next batch
                Sql.rollback(c, e);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            onFailure.run();
            throw new AuditUnavailableException(
                    "audit store unavailable, record not written: " + Stores.rootMessage(e), e);
        }
    }

    /**
     * Runs the statements of an append for {@code event} (the head read under its row lock, the head's update, the
     * compare-and-set update a later append makes, the insert) in one transaction that is always rolled back, so
     * that the driver's and the database's code for them is loaded and the first real append does not pay for it
     * (issue 16: first guarded call after {@code initialize}). Nothing is committed: no record, no change of the
     * head row, no checkpoint, and this store's own idea of the head is left as it was. Skipped, returning
     * {@code false}, while a batch of this store is being written (a real append never waits for a rehearsal to
     * start; it may wait for one under way, a few milliseconds, as for a batch before its own).
     *
     * @throws AuditUnavailableException the database failed (nothing was written either way)
     */
    boolean rehearseAppend(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        appendLock.lock();
        try {
            if (writing) {
                return false;
            }
            writing = true;
        } finally {
            appendLock.unlock();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<AuditEntry> entries = moveLockedHead(c, List.of(event));
                AuditEntry entry = entries.get(0);
                moveKnownHead(c, new Head(entry.seq(), entry.hash()), List.of(event));
                insert(c, entries);
            } finally {
                c.rollback(); // never commit: whatever happened above, none of it stays
            }
            return true;
        } catch (SQLException e) {
            throw new AuditUnavailableException("audit store unavailable: " + Stores.rootMessage(e), e);
        } finally {
            releaseWriter();
        }
    }

    /** Ends a write (a batch or a rehearsal) and wakes the appends waiting for it: one of them writes next. */
    private void releaseWriter() {
        appendLock.lock();
        try {
            writing = false;
            written.signalAll();
        } finally {
            appendLock.unlock();
        }
    }

    /** The entries of {@code events} chained after {@code seq} and {@code hash}, in order. */
    private static List<AuditEntry> chain(long seq, String hash, List<AuditEvent> events) {
        List<AuditEntry> entries = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            seq++;
            AuditEntry entry = new AuditEntry(seq, event, hash, AuditEntry.computeHash(hash, seq, event));
            entries.add(entry);
            hash = entry.hash();
        }
        return entries;
    }

    /**
     * Chains {@code events} after the head this store last wrote, moving the head row to the newest of them only if
     * it still holds that head: one compare-and-set {@code UPDATE} that also locks the row to the end of the
     * transaction. Returns {@code null}, having changed nothing, when another writer (a replica, another store on
     * the same database) moved the head since.
     */
    private static List<AuditEntry> moveKnownHead(Connection c, Head known, List<AuditEvent> events)
            throws SQLException {
        List<AuditEntry> entries = chain(known.seq(), known.hash(), events);
        AuditEntry newest = entries.get(entries.size() - 1);
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_chain SET last_seq = ?, last_hash = ?"
                + " WHERE id = 1 AND last_seq = ? AND last_hash = ?")) {
            ps.setLong(1, newest.seq());
            ps.setString(2, newest.hash());
            ps.setLong(3, known.seq());
            ps.setString(4, known.hash());
            return ps.executeUpdate() == 1 ? entries : null;
        }
    }

    /** Chains {@code events} after the head read under the head row's lock ({@code SELECT … FOR UPDATE}). */
    private static List<AuditEntry> moveLockedHead(Connection c, List<AuditEvent> events) throws SQLException {
        long lastSeq;
        String lastHash;
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT last_seq, last_hash FROM audit_chain WHERE id = 1 FOR UPDATE");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_chain has no head row; the schema was tampered with");
            }
            lastSeq = rs.getLong(1);
            lastHash = rs.getString(2);
        }
        List<AuditEntry> entries = chain(lastSeq, lastHash, events);
        AuditEntry newest = entries.get(entries.size() - 1);
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE audit_chain SET last_seq = ?, last_hash = ? WHERE id = 1")) {
            ps.setLong(1, newest.seq());
            ps.setString(2, newest.hash());
            ps.executeUpdate();
        }
        return entries;
    }

    /** Inserts the entries: one statement for one, a JDBC batch (one round trip on PostgreSQL) for more. */
    private static void insert(Connection c, List<AuditEntry> entries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            if (entries.size() == 1) {
                bind(ps, entries.get(0));
                ps.executeUpdate();
                return;
            }
            for (AuditEntry entry : entries) {
                bind(ps, entry);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bind(PreparedStatement ps, AuditEntry entry) throws SQLException {
        AuditEvent e = entry.event();
        ps.setLong(1, entry.seq());
        Sql.setInstant(ps, 2, e.time());
        ps.setString(3, e.requestId());
        ps.setString(4, e.principal());
        ps.setString(5, e.auth());
        ps.setString(6, e.tool());
        ps.setString(7, e.toolset());
        ps.setString(8, Sql.json(e.resource()));
        ps.setString(9, AuditEvent.resourceKey(e.resource()));
        ps.setString(10, Sql.json(e.args()));
        ps.setString(11, e.decision() == null ? null : e.decision().wire());
        // string arrays: the canonical writer's JSON text, cheaper per append than the mapper's (read back alike)
        ps.setString(12, CanonicalJson.canonicalize(AuditJson.strings(e.reasons())));
        ps.setString(13, e.approvalId());
        ps.setString(14, CanonicalJson.canonicalize(AuditJson.strings(e.approvers())));
        ps.setString(15, e.phase().wire());
        ps.setLong(16, e.durationMs());
        ps.setString(17, e.resultDigest());
        ps.setString(18, e.error());
        ps.setString(19, entry.prevHash());
        ps.setString(20, entry.hash());
    }

    @Override
    public List<AuditEntry> tail(int n) {
        if (n <= 0) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq DESC LIMIT ?")) {
            ps.setInt(1, n);
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(read(rs));
                }
            }
            Collections.reverse(entries);
            return entries;
        } catch (SQLException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void export(Writer out) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq")) {
                ps.setFetchSize(500);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.write(read(rs).toJson().toString());
                        out.write('\n');
                    }
                }
                out.flush();
            } finally {
                c.rollback();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("audit export: " + e.getMessage(), e);
        } catch (SQLException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public VerifyResult verify() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                return verify(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static VerifyResult verify(Connection c) throws SQLException {
        // The head first: rows up to it were committed with it, later appends are left for the next verify.
        long headSeq;
        String headHash;
        try (PreparedStatement ps = c.prepareStatement("SELECT last_seq, last_hash FROM audit_chain WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return VerifyResult.broken(0, 1, "chain head row missing (audit_chain edited)");
            }
            headSeq = rs.getLong(1);
            headHash = rs.getString(2);
        }
        long count = 0;
        String prevHash = AuditEntry.GENESIS_HASH;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE seq <= ? ORDER BY seq")) {
            ps.setLong(1, headSeq);
            ps.setFetchSize(500);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long expected = count + 1;
                    long seq = rs.getLong("seq");
                    if (seq != expected) {
                        return VerifyResult.broken(
                                count,
                                expected,
                                "record missing (deleted, or its seq changed);" + " the next record is seq " + seq);
                    }
                    if (!prevHash.equals(rs.getString("prev_hash"))) {
                        return VerifyResult.broken(
                                count,
                                seq,
                                "prev_hash does not match the hash of "
                                        + (seq == 1 ? "the chain start" : "seq " + (seq - 1))
                                        + " (a record was edited, deleted or reordered)");
                    }
                    AuditEntry entry;
                    try {
                        entry = read(rs);
                    } catch (RuntimeException e) {
                        return VerifyResult.broken(count, seq, "record unreadable (edited): " + e.getMessage());
                    }
                    if (!AuditEntry.computeHash(prevHash, seq, entry.event()).equals(entry.hash())) {
                        return VerifyResult.broken(count, seq, "content does not match its hash (record edited)");
                    }
                    if (!Objects.equals(
                            rs.getString("resource_key"),
                            AuditEvent.resourceKey(entry.event().resource()))) {
                        return VerifyResult.broken(
                                count, seq, "resource_key does not match the resource (record edited)");
                    }
                    prevHash = entry.hash();
                    count++;
                }
            }
        }
        if (count < headSeq) {
            long first = count + 1;
            return VerifyResult.broken(
                    count,
                    first,
                    (first == headSeq ? "record " + first : "records " + first + ".." + headSeq)
                            + " missing (deleted at the end of the chain)");
        }
        if (count > 0 && !prevHash.equals(headHash)) {
            return VerifyResult.broken(count - 1, count, "hash does not match the chain head (record edited)");
        }
        return VerifyResult.intact(count);
    }

    @Override
    public Optional<String> hashAt(long seq) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit_log WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long countMutationsOnResource(String resourceKey, Instant since) {
        return count("resource_key", resourceKey, since);
    }

    @Override
    public long countMutationsByPrincipal(String principal, Instant since) {
        return count("principal", principal, since);
    }

    /** Both counts in one statement on one pooled connection: the guard asks for them on every call. */
    @Override
    public MutationCounts countMutations(String resourceKey, String principal, Instant since) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT"
                        + " (SELECT COUNT(*) FROM audit_log WHERE resource_key = ? AND phase = ? AND event_time >= ?),"
                        + " (SELECT COUNT(*) FROM audit_log WHERE principal = ? AND phase = ? AND event_time >= ?)")) {
            // a null key or principal compares unequal to every row: 0, as the single counts answer
            ps.setString(1, resourceKey);
            ps.setString(2, AuditEvent.Phase.INTENT.wire());
            Sql.setInstant(ps, 3, since);
            ps.setString(4, principal);
            ps.setString(5, AuditEvent.Phase.INTENT.wire());
            Sql.setInstant(ps, 6, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new MutationCounts(rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    private long count(String column, String value, Instant since) {
        if (value == null) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(*) FROM audit_log WHERE " + column + " = ? AND phase = ? AND event_time >= ?")) {
            ps.setString(1, value);
            ps.setString(2, AuditEvent.Phase.INTENT.wire());
            Sql.setInstant(ps, 3, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException | RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static AuditEntry read(ResultSet rs) throws SQLException {
        AuditEvent event = AuditEvent.builder(
                        Sql.getInstant(rs, "event_time"),
                        rs.getString("principal"),
                        AuditEvent.Phase.fromWire(rs.getString("phase")))
                .requestId(rs.getString("request_id"))
                .auth(rs.getString("auth"))
                .tool(rs.getString("tool"), rs.getString("toolset"))
                .resource(Sql.json(rs.getString("resource")))
                .args(Sql.json(rs.getString("args")))
                .decision(
                        AuditEvent.PolicyDecision.fromWire(rs.getString("decision")),
                        AuditJson.strings(Sql.json(rs.getString("reasons"))))
                .approval(rs.getString("approval_id"), AuditJson.strings(Sql.json(rs.getString("approvers"))))
                .durationMs(rs.getLong("duration_ms"))
                .resultDigest(rs.getString("result_digest"))
                .error(rs.getString("error"))
                .build();
        return new AuditEntry(rs.getLong("seq"), event, rs.getString("prev_hash"), rs.getString("hash"));
    }

    private AuditUnavailableException unavailable(Exception e) {
        onFailure.run();
        return new AuditUnavailableException("audit store unavailable: " + Stores.rootMessage(e), e);
    }

    @Override
    public void close() {
        // the pool belongs to Stores, which closes it
    }
}
