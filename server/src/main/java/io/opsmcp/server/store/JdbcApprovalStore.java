package io.opsmcp.server.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * {@link ApprovalStore} over JDBC, the same SQL for H2 and PostgreSQL. A vote locks the approval row
 * ({@code SELECT … FOR UPDATE}) for its transaction, so concurrent votes are applied one after the other;
 * consuming is one conditional {@code UPDATE … WHERE status = 'APPROVED' AND expires_at > now} whose update
 * count tells the single winner.
 */
final class JdbcApprovalStore implements ApprovalStore {

    private static final Pattern ID = Pattern.compile("apr_[a-z2-7]{26}");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final String COLUMNS = "id, tool, args_digest, requester, resource, change_summary, min_approvals,"
            + " approver_roles, allow_self_approval, created_at, expires_at, status, used_at, reasons";

    private final DataSource dataSource;
    private final Clock clock;
    private final boolean checkpoint;
    /** Called when the database failed; see {@link JdbcAuditStore}. */
    private final Runnable onFailure;
    private final SecureRandom random = new SecureRandom();

    /** {@code checkpoint}: see {@link Sql#persist}. */
    JdbcApprovalStore(DataSource dataSource, Clock clock, boolean checkpoint, Runnable onFailure) {
        this.onFailure = onFailure;
        this.dataSource = dataSource;
        this.clock = clock;
        this.checkpoint = checkpoint;
    }

    @Override
    public Approval create(Approval pending) {
        Approval a = validated(pending);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO approvals (" + COLUMNS + ")"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.tool());
            ps.setString(3, a.argsDigest());
            ps.setString(4, a.requester());
            ps.setString(5, Sql.json(a.resource()));
            ps.setString(6, a.changeSummary());
            ps.setInt(7, a.minApprovals());
            ps.setString(8, Sql.json(AuditJson.strings(a.approverRoles())));
            ps.setBoolean(9, a.allowSelfApproval());
            Sql.setInstant(ps, 10, a.createdAt());
            Sql.setInstant(ps, 11, a.expiresAt());
            ps.setString(12, a.status().name());
            Sql.setInstant(ps, 13, null);
            ps.setString(14, a.reasons());
            ps.executeUpdate();
            Sql.persist(c, checkpoint);
            return a;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private Approval validated(Approval p) {
        String id = p.id() == null ? newId() : p.id();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("approval id: must be apr_ followed by 26 base32 characters");
        }
        require(p.tool(), "tool");
        require(p.requester(), "requester");
        if (p.argsDigest() == null || !p.argsDigest().matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("approval args_digest: must be 64 lowercase hex characters (SHA-256)");
        }
        if (p.minApprovals() < 1) {
            throw new IllegalArgumentException("approval min_approvals: must be at least 1 (got " + p.minApprovals() + ")");
        }
        if (p.createdAt() == null || p.expiresAt() == null || !p.expiresAt().isAfter(p.createdAt())) {
            throw new IllegalArgumentException("approval expires_at: must be after created_at");
        }
        return new Approval(id, p.tool(), p.argsDigest(), p.requester(), p.resource(), p.changeSummary(),
                p.minApprovals(), p.approverRoles(), p.allowSelfApproval(), millis(p.createdAt()),
                millis(p.expiresAt()), Approval.Status.PENDING, List.of(), null, p.reasons());
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("approval " + field + ": required");
        }
    }

    /** {@code apr_} + 26 base32 characters: 130 bits from {@link SecureRandom}. */
    private String newId() {
        StringBuilder id = new StringBuilder("apr_");
        for (int i = 0; i < 26; i++) {
            id.append(BASE32[random.nextInt(32)]);
        }
        return id.toString();
    }

    @Override
    public Optional<Approval> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection()) {
            return load(c, id, false, clock.instant());
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<Approval> list(EnumSet<Approval.Status> statuses, int limit) {
        if (statuses.isEmpty() || limit <= 0) {
            return List.of();
        }
        Instant now = clock.instant();
        List<String> conditions = new ArrayList<>();
        for (Approval.Status s : statuses) {
            conditions.add(switch (s) {
                case PENDING, APPROVED -> "(status = '" + s.name() + "' AND expires_at > ?)";
                case DENIED, USED -> "status = '" + s.name() + "'";
                case EXPIRED -> "(status IN ('PENDING', 'APPROVED') AND expires_at <= ?)";
            });
        }
        String sql = "SELECT " + COLUMNS + " FROM approvals WHERE " + String.join(" OR ", conditions)
                + " ORDER BY created_at DESC, id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            int index = 1;
            for (String condition : conditions) {
                if (condition.contains("?")) {
                    Sql.setInstant(ps, index++, now);
                }
            }
            ps.setInt(index, limit);
            List<Approval> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(read(rs, List.of(), now));
                }
            }
            List<Approval> withVotes = new ArrayList<>(result.size());
            for (Approval a : result) {
                withVotes.add(withVotes(a, votes(c, a.id())));
            }
            return withVotes;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Approval vote(String id, String principal, List<String> roles, boolean approve, String reason,
                         Instant now) {
        if (principal == null || principal.isBlank()) {
            throw new ApprovalException("a vote needs the voter's principal id");
        }
        List<String> voterRoles = roles == null ? List.of() : List.copyOf(roles);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Approval a = load(c, id, true, now)
                        .orElseThrow(() -> new ApprovalException("approval " + id + " not found"));
                checkVote(a, principal, voterRoles, now);
                Instant at = millis(now);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO approval_votes"
                        + " (approval_id, principal, roles, approve, reason, voted_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, a.id());
                    ps.setString(2, principal);
                    ps.setString(3, Sql.json(AuditJson.strings(voterRoles)));
                    ps.setBoolean(4, approve);
                    ps.setString(5, reason);
                    Sql.setInstant(ps, 6, at);
                    ps.executeUpdate();
                }
                List<Approval.Vote> votes = new ArrayList<>(a.votes());
                votes.add(new Approval.Vote(principal, voterRoles, approve, reason, at));
                Approval.Status status = !approve ? Approval.Status.DENIED
                        : votes.stream().filter(Approval.Vote::approve).map(Approval.Vote::principal).distinct()
                                .count() >= a.minApprovals() ? Approval.Status.APPROVED : Approval.Status.PENDING;
                if (status != Approval.Status.PENDING) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE approvals SET status = ? WHERE id = ?")) {
                        ps.setString(1, status.name());
                        ps.setString(2, a.id());
                        ps.executeUpdate();
                    }
                }
                c.commit();
                Sql.persist(c, checkpoint);
                return new Approval(a.id(), a.tool(), a.argsDigest(), a.requester(), a.resource(), a.changeSummary(),
                        a.minApprovals(), a.approverRoles(), a.allowSelfApproval(), a.createdAt(), a.expiresAt(),
                        status, votes, a.usedAt(), a.reasons());
            } catch (SQLException | RuntimeException e) {
                Sql.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static void checkVote(Approval a, String principal, List<String> roles, Instant now) {
        if (a.status() == Approval.Status.EXPIRED) {
            throw new ApprovalException("approval " + a.id() + " expired at " + a.expiresAt() + "; votes are no longer"
                    + " accepted");
        }
        if (a.status() != Approval.Status.PENDING) {
            throw new ApprovalException("approval " + a.id() + " is " + a.status().name().toLowerCase()
                    + "; votes are only accepted while it is pending");
        }
        if (a.votes().stream().anyMatch(v -> v.principal().equals(principal))) {
            throw new ApprovalException(principal + " has already voted on approval " + a.id());
        }
        if (a.approverRoles().isEmpty()) {
            throw new ApprovalException("approval " + a.id() + " names no approver roles, so nobody may vote on it");
        }
        Set<String> held = new HashSet<>(roles);
        if (a.approverRoles().stream().noneMatch(held::contains)) {
            throw new ApprovalException(principal + " may not vote on approval " + a.id() + ": it needs one of the"
                    + " roles " + String.join(", ", a.approverRoles()));
        }
        if (principal.equals(a.requester()) && !a.allowSelfApproval()) {
            throw new ApprovalException(principal + " requested approval " + a.id()
                    + " and self-approval is not allowed for it; another approver must vote");
        }
    }

    @Override
    public boolean consume(String id, Instant now) {
        if (id == null) {
            return false;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE approvals SET status = 'USED', used_at = ?"
                     + " WHERE id = ? AND status = 'APPROVED' AND expires_at > ?")) {
            Sql.setInstant(ps, 1, millis(now));
            ps.setString(2, id);
            Sql.setInstant(ps, 3, now);
            boolean won = ps.executeUpdate() == 1;
            if (won) {
                Sql.persist(c, checkpoint);
            }
            return won;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static Optional<Approval> load(Connection c, String id, boolean forUpdate, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM approvals WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(read(rs, votes(c, id), now));
            }
        }
    }

    private static List<Approval.Vote> votes(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT principal, roles, approve, reason, voted_at"
                + " FROM approval_votes WHERE approval_id = ? ORDER BY voted_at, principal")) {
            ps.setString(1, id);
            List<Approval.Vote> votes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    votes.add(new Approval.Vote(rs.getString("principal"),
                            AuditJson.strings(Sql.json(rs.getString("roles"))), rs.getBoolean("approve"),
                            rs.getString("reason"), Sql.getInstant(rs, "voted_at")));
                }
            }
            return votes;
        }
    }

    private static Approval read(ResultSet rs, List<Approval.Vote> votes, Instant now) throws SQLException {
        Instant expiresAt = Sql.getInstant(rs, "expires_at");
        Approval.Status stored = Approval.Status.valueOf(rs.getString("status"));
        boolean open = stored == Approval.Status.PENDING || stored == Approval.Status.APPROVED;
        Approval.Status status = open && !now.isBefore(expiresAt) ? Approval.Status.EXPIRED : stored;
        return new Approval(rs.getString("id"), rs.getString("tool"), rs.getString("args_digest"),
                rs.getString("requester"), Sql.json(rs.getString("resource")), rs.getString("change_summary"),
                rs.getInt("min_approvals"), AuditJson.strings(Sql.json(rs.getString("approver_roles"))),
                rs.getBoolean("allow_self_approval"), Sql.getInstant(rs, "created_at"), expiresAt, status, votes,
                Sql.getInstant(rs, "used_at"), rs.getString("reasons"));
    }

    private static Approval withVotes(Approval a, List<Approval.Vote> votes) {
        return new Approval(a.id(), a.tool(), a.argsDigest(), a.requester(), a.resource(), a.changeSummary(),
                a.minApprovals(), a.approverRoles(), a.allowSelfApproval(), a.createdAt(), a.expiresAt(), a.status(),
                votes, a.usedAt(), a.reasons());
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    private StoreException unavailable(SQLException e) {
        onFailure.run();
        return new StoreException("approval store unavailable: " + Stores.rootMessage(e), e);
    }

    @Override
    public void close() {
        // the pool belongs to Stores, which closes it
    }
}
