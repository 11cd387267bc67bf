package io.opsmcp.store.jdbc;

import io.opsmcp.toolkit.CompactJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Conversions between Java values and the columns both dialects share (timestamps, JSON text). */
final class Sql {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Sql() {}

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * JSON text for a column; {@code null} stays SQL NULL. An empty object (the arguments of most read-only calls)
     * is the mapper's text for it, {@code {}}, without a serialisation (a few microseconds per audit record under
     * C1); other trees are written by {@link CompactJson}, which gives the mapper's text without the mapper's
     * per-call set-up, and by the mapper where it leaves a node to it (floating-point and big numbers).
     */
    static String json(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject() && node.isEmpty()) {
            return "{}";
        }
        String text = CompactJson.write(node);
        return text != null ? text : JSON.writeValueAsString(node);
    }

    /** Parses a JSON column; SQL NULL reads as {@code null}. */
    static JsonNode json(String text) {
        return text == null ? null : JSON.readTree(text);
    }

    /**
     * Makes what the connection just committed durable where the database does not do so at commit: H2 has no
     * redo log and keeps commits in memory until its background writer stores them (up to WRITE_DELAY, 500 ms,
     * later), so the embedded stores ask for {@code CHECKPOINT SYNC}, which writes them to the file and fsyncs
     * it before the call returns. PostgreSQL made the commit durable in its WAL already.
     */
    static void persist(Connection c, boolean checkpoint) throws SQLException {
        if (checkpoint) {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    }

    /** Rolls back after a failure, keeping the original failure as the one reported. */
    static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
