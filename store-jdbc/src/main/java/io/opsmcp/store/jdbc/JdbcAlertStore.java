package io.opsmcp.store.jdbc;

import io.opsmcp.alerts.Alert;
import io.opsmcp.alerts.AlertStore;
import io.opsmcp.guard.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link AlertStore} over JDBC, the same SQL for H2 and PostgreSQL: one row per fingerprint (unique), the alert as
 * JSON. {@code save} updates by id and inserts when no row has it; two replicas inserting the same new fingerprint
 * at once get one row and one {@link StoreException} (the sender retries, and the retry finds the row).
 */
final class JdbcAlertStore implements AlertStore {

    private final DataSource dataSource;
    private final boolean checkpoint;
    private final Runnable onFailure;

    /** {@code checkpoint}: see {@link Sql#persist}. */
    JdbcAlertStore(DataSource dataSource, boolean checkpoint, Runnable onFailure) {
        this.dataSource = dataSource;
        this.checkpoint = checkpoint;
        this.onFailure = onFailure;
    }

    @Override
    public Optional<Alert> find(String id) {
        return one("SELECT body FROM alerts WHERE id = ?", id);
    }

    @Override
    public Optional<Alert> findByFingerprint(String fingerprint) {
        return one("SELECT body FROM alerts WHERE fingerprint = ?", fingerprint);
    }

    private Optional<Alert> one(String sql, String key) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void save(Alert alert) {
        String body = Sql.json(alert.toJson());
        try (Connection c = dataSource.getConnection()) {
            int updated;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE alerts SET fingerprint = ?, status = ?, updated_at = ?, body = ? WHERE id = ?")) {
                ps.setString(1, alert.fingerprint());
                ps.setString(2, alert.status().name());
                Sql.setInstant(ps, 3, alert.updatedAt());
                ps.setString(4, body);
                ps.setString(5, alert.id());
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO alerts (id, fingerprint, status, updated_at, body) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, alert.id());
                    ps.setString(2, alert.fingerprint());
                    ps.setString(3, alert.status().name());
                    Sql.setInstant(ps, 4, alert.updatedAt());
                    ps.setString(5, body);
                    ps.executeUpdate();
                }
            }
            Sql.persist(c, checkpoint);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<Alert> list(Alert.Status status, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String sql = "SELECT body FROM alerts" + (status == null ? "" : " WHERE status = ?")
                + " ORDER BY updated_at DESC, id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (status != null) {
                ps.setString(i++, status.name());
            }
            ps.setInt(i, limit);
            List<Alert> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public int deleteResolvedBefore(Instant before) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("DELETE FROM alerts WHERE status = 'RESOLVED' AND updated_at < ?")) {
            Sql.setInstant(ps, 1, before);
            int n = ps.executeUpdate();
            if (n > 0) {
                Sql.persist(c, checkpoint);
            }
            return n;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public int trimTo(int keep) {
        try (Connection c = dataSource.getConnection()) {
            Instant cutoff = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT updated_at FROM alerts ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET ?")) {
                ps.setInt(1, Math.max(0, keep));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        cutoff = Sql.getInstant(rs, "updated_at");
                    }
                }
            }
            if (cutoff == null) {
                return 0;
            }
            // everything at or before the first alert past the kept ones (ties go too: the bound holds)
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM alerts WHERE updated_at <= ?")) {
                Sql.setInstant(ps, 1, cutoff);
                int n = ps.executeUpdate();
                Sql.persist(c, checkpoint);
                return n;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static Alert read(ResultSet rs) throws SQLException {
        return Alert.fromJson(Sql.json(rs.getString("body")));
    }

    private StoreException unavailable(SQLException e) {
        onFailure.run();
        return new StoreException("alert store unavailable: " + Stores.rootMessage(e), e);
    }
}
