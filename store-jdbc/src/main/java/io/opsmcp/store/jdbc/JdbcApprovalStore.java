package io.opsmcp.store.jdbc;

import io.opsmcp.guard.StoreException;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalException;
import io.opsmcp.guard.approval.ApprovalStore;
import io.opsmcp.guard.audit.AuditJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * {@link ApprovalStore} over JDBC, the same SQL for H2 and PostgreSQL. A vote locks the approval row
 * ({@code SELECT … FOR UPDATE}) for its transaction, so concurrent votes are applied one after the other;
 * consuming is one conditional {@code UPDATE … WHERE status = 'APPROVED' AND expires_at > now} whose update
 * count tells the single winner.
 */
final class JdbcApprovalStore implements ApprovalStore {

    private static final String COLUMNS = "id, tool, args_digest, requester, resource, change_summary, min_approvals,"
            + " approver_roles, allow_self_approval, created_at, expires_at, status, used_at, reasons";

    private final DataSource dataSource;
    private final Clock clock;
    private final boolean checkpoint;
    /** Called when the database failed; see {@link JdbcAuditStore}. */
    private final Runnable onFailure;

    /** {@code checkpoint}: see {@link Sql#persist}. */
    JdbcApprovalStore(DataSource dataSource, Clock clock, boolean checkpoint, Runnable onFailure) {
        this.onFailure = onFailure;
        this.dataSource = dataSource;
        this.clock = clock;
        this.checkpoint = checkpoint;
    }

    @Override
    public Approval create(Approval a) {
        if (a.id() == null) {
            throw new IllegalArgumentException("approval id: required (ApprovalService.create assigns one)");
        }
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
            conditions.add(
                    switch (s) {
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
                withVotes.add(a.with(a.status(), votes(c, a.id()), a.usedAt()));
            }
            return withVotes;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Approval vote(String id, Approval.Vote vote, Instant now, Function<Approval, Approval.Status> rules) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Approval a = load(c, id, true, now)
                        .orElseThrow(() -> new ApprovalException("approval " + id + " not found"));
                Approval.Status status = rules.apply(a);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO approval_votes"
                        + " (approval_id, principal, roles, approve, reason, voted_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, a.id());
                    ps.setString(2, vote.principal());
                    ps.setString(3, Sql.json(AuditJson.strings(vote.roles())));
                    ps.setBoolean(4, vote.approve());
                    ps.setString(5, vote.reason());
                    Sql.setInstant(ps, 6, millis(vote.at()));
                    ps.executeUpdate();
                }
                List<Approval.Vote> votes = new ArrayList<>(a.votes());
                votes.add(vote);
                if (status != a.status()) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE approvals SET status = ? WHERE id = ?")) {
                        ps.setString(1, status.name());
                        ps.setString(2, a.id());
                        ps.executeUpdate();
                    }
                }
                c.commit();
                Sql.persist(c, checkpoint);
                return a.with(status, votes, a.usedAt());
            } catch (SQLException | RuntimeException e) {
                Sql.rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
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
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM approvals WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
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
                    votes.add(new Approval.Vote(
                            rs.getString("principal"),
                            AuditJson.strings(Sql.json(rs.getString("roles"))),
                            rs.getBoolean("approve"),
                            rs.getString("reason"),
                            Sql.getInstant(rs, "voted_at")));
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
        return new Approval(
                rs.getString("id"),
                rs.getString("tool"),
                rs.getString("args_digest"),
                rs.getString("requester"),
                Sql.json(rs.getString("resource")),
                rs.getString("change_summary"),
                rs.getInt("min_approvals"),
                AuditJson.strings(Sql.json(rs.getString("approver_roles"))),
                rs.getBoolean("allow_self_approval"),
                Sql.getInstant(rs, "created_at"),
                expiresAt,
                status,
                votes,
                Sql.getInstant(rs, "used_at"),
                rs.getString("reasons"));
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
