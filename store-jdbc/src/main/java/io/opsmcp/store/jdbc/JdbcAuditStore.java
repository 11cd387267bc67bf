package io.opsmcp.store.jdbc;

import io.opsmcp.guard.audit.AuditAnchor;
import io.opsmcp.guard.audit.AuditEntry;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditJson;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.AuditUnavailableException;
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
import javax.sql.DataSource;

/**
 * {@link AuditStore} over JDBC, the same SQL for H2 and PostgreSQL. Appends lock the single
 * {@code audit_chain} row for the length of their transaction, which orders them into one chain across threads
 * and across processes sharing the database: with a compare-and-set {@code UPDATE} from the head this store last
 * wrote (one statement, the common case of a single writer), else with {@code SELECT … FOR UPDATE}.
 */
final class JdbcAuditStore implements AuditStore {

    private static final String COLUMNS = "seq, event_time, request_id, principal, auth, tool, toolset, resource,"
            + " resource_key, args, decision, reasons, approval_id, approvers, phase, duration_ms, result_digest,"
            + " error, prev_hash, hash";

    private final DataSource dataSource;
    private final boolean checkpoint;
    private final AuditAnchor anchor;
    private final Runnable onFailure;
    /**
     * Orders this store's appends, so that they find the head they last wrote in {@link #head} instead of
     * contending for the head row; the database's row lock still orders them against other writers.
     */
    private final java.util.concurrent.locks.ReentrantLock appendLock = new java.util.concurrent.locks.ReentrantLock();
    /**
     * The chain head as this store last committed it ({@code null}: unknown, read it under the row lock). Only a
     * guess: an append moves the head row only where it still holds this head (see {@link #moveKnownHead}).
     */
    private Head head;

    /** A chain head: the newest record's seq and hash. */
    private record Head(long seq, String hash) {}

    /**
     * @param checkpoint see {@link Sql#persist}
     * @param anchor     where each appended record's signed checkpoint goes
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
        AuditEntry entry = appendToChain(event, forceToDisk);
        try {
            anchor.record(entry, forceToDisk);
        } catch (IOException e) {
            // The record is in the chain but not anchored: refuse the change it would have allowed (fail closed).
            throw new AuditUnavailableException(
                    "audit checkpoint not written to " + anchor.file() + ": " + Stores.rootMessage(e), e);
        }
        return entry;
    }

    private AuditEntry appendToChain(AuditEvent event, boolean forceToDisk) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            appendLock.lock();
            try {
                AuditEntry entry = head == null ? null : moveKnownHead(c, head, event);
                if (entry == null) {
                    entry = moveLockedHead(c, event);
                }
                insert(c, entry);
                c.commit();
                head = new Head(entry.seq(), entry.hash());
                Sql.persist(c, checkpoint && forceToDisk);
                return entry;
            } catch (SQLException | RuntimeException e) {
                head = null; // read from the database again by the next append
                Sql.rollback(c, e);
                throw e;
            } finally {
                appendLock.unlock();
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
     * {@code false}, while an append of this store is under way (a real append never waits for a rehearsal to
     * start; it may wait for one under way, a few milliseconds, as for any other writer).
     *
     * @throws AuditUnavailableException the database failed (nothing was written either way)
     */
    boolean rehearseAppend(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (!appendLock.tryLock()) {
            return false;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                AuditEntry entry = moveLockedHead(c, event);
                moveKnownHead(c, new Head(entry.seq(), entry.hash()), event);
                insert(c, entry);
            } finally {
                c.rollback(); // never commit: whatever happened above, none of it stays
            }
            return true;
        } catch (SQLException e) {
            throw new AuditUnavailableException("audit store unavailable: " + Stores.rootMessage(e), e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Chains {@code event} after the head this store last wrote, moving the head row only if it still holds that
     * head: one compare-and-set {@code UPDATE} that also locks the row to the end of the transaction. Returns
     * {@code null}, having changed nothing, when another writer (a replica, another store on the same database)
     * moved the head since.
     */
    private static AuditEntry moveKnownHead(Connection c, Head known, AuditEvent event) throws SQLException {
        AuditEntry entry = new AuditEntry(
                known.seq() + 1, event, known.hash(), AuditEntry.computeHash(known.hash(), known.seq() + 1, event));
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_chain SET last_seq = ?, last_hash = ?"
                + " WHERE id = 1 AND last_seq = ? AND last_hash = ?")) {
            ps.setLong(1, entry.seq());
            ps.setString(2, entry.hash());
            ps.setLong(3, known.seq());
            ps.setString(4, known.hash());
            return ps.executeUpdate() == 1 ? entry : null;
        }
    }

    /** Chains {@code event} after the head read under the head row's lock ({@code SELECT … FOR UPDATE}). */
    private static AuditEntry moveLockedHead(Connection c, AuditEvent event) throws SQLException {
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
        AuditEntry entry =
                new AuditEntry(lastSeq + 1, event, lastHash, AuditEntry.computeHash(lastHash, lastSeq + 1, event));
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE audit_chain SET last_seq = ?, last_hash = ? WHERE id = 1")) {
            ps.setLong(1, entry.seq());
            ps.setString(2, entry.hash());
            ps.executeUpdate();
        }
        return entry;
    }

    private static void insert(Connection c, AuditEntry entry) throws SQLException {
        AuditEvent e = entry.event();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
            ps.setString(12, Sql.json(AuditJson.strings(e.reasons())));
            ps.setString(13, e.approvalId());
            ps.setString(14, Sql.json(AuditJson.strings(e.approvers())));
            ps.setString(15, e.phase().wire());
            ps.setLong(16, e.durationMs());
            ps.setString(17, e.resultDigest());
            ps.setString(18, e.error());
            ps.setString(19, entry.prevHash());
            ps.setString(20, entry.hash());
            ps.executeUpdate();
        }
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
