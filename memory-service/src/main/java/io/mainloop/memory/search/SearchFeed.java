package io.mainloop.memory.search;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads what the index needs from PostgreSQL, the source of truth: the search feed (table
 * {@code search_feed}, filled by triggers) after a cursor, and the messages, summaries and
 * memories it names. Plain JDBC on autocommit connections, outside any JTA transaction.
 */
@ApplicationScoped
public class SearchFeed {

    /** A feed row: {@code kind} ({@code MESSAGE}, {@code SUMMARY}, {@code MEMORY}) of {@code refId} changed. */
    public record Change(long xid, long seq, String kind, UUID refId, String threadId) {
    }

    /** A stored message as the index sees it. */
    public record StoredMessage(UUID id, long seq, String threadId, String role, String text, Instant createdAt,
                                String sessionId, String externalId, byte[] embedding) {
    }

    /** A written summary. */
    public record StoredSummary(UUID id, String threadId, String granularity, LocalDate periodStart, Instant coversFrom,
                                String text) {
    }

    /** A memory; {@code current} false once superseded or expired. */
    public record StoredMemory(UUID id, String threadId, String kind, String text, Instant createdAt,
                               UUID sourceMessageId, UUID sourceSummaryId, boolean current) {
    }

    @Inject
    AgroalDataSource dataSource;

    /** A connection for one catch-up (autocommit). */
    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /** This database's identity ({@code search_epoch}). */
    public String epoch(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT epoch::text FROM search_epoch WHERE id = 1");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Up to {@code max} changes after {@code (xid, seq)}, in cursor order, only of transactions that
     * ended before the oldest one still running (so no later commit can fall behind the cursor).
     */
    public List<Change> after(Connection c, long xid, long seq, int max) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                SELECT xid::text::bigint, seq, kind, ref_id, thread_id FROM search_feed
                WHERE xid < pg_snapshot_xmin(pg_current_snapshot()) AND (xid, seq) > (?::text::xid8, ?)
                ORDER BY xid, seq LIMIT ?""")) {
            st.setLong(1, xid);
            st.setLong(2, seq);
            st.setInt(3, max);
            List<Change> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getObject(4, UUID.class),
                            rs.getString(5)));
                }
            }
            return out;
        }
    }

    /** Whether feed rows exist after {@code (xid, seq)} that are not readable yet (an older transaction still runs). */
    public boolean pendingBeyondHorizon(Connection c, long xid, long seq) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM search_feed WHERE (xid, seq) > (?::text::xid8, ?)
                AND xid >= pg_snapshot_xmin(pg_current_snapshot()))""")) {
            st.setLong(1, xid);
            st.setLong(2, seq);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The messages with these ids (those still stored). */
    public List<StoredMessage> messages(Connection c, Collection<UUID> ids) throws SQLException {
        return messages(c, "SELECT id, seq, thread_id, role, text, created_at, session_id, external_id, embedding "
                + "FROM message WHERE id = ANY(?)", st -> st.setArray(1, uuids(c, ids)));
    }

    /** The USER messages of a session: imported with {@code sessionId}, or (null) stored on a day {@code [from, to)} without one. */
    public List<StoredMessage> sessionUserMessages(Connection c, String threadId, String sessionId, Instant from,
                                                   Instant to) throws SQLException {
        if (sessionId != null) {
            return messages(c, "SELECT id, seq, thread_id, role, text, created_at, session_id, external_id, embedding "
                    + "FROM message WHERE thread_id = ? AND session_id = ? AND role = 'USER' ORDER BY created_at, seq",
                    st -> {
                        st.setString(1, threadId);
                        st.setString(2, sessionId);
                    });
        }
        return messages(c, "SELECT id, seq, thread_id, role, text, created_at, session_id, external_id, embedding "
                + "FROM message WHERE thread_id = ? AND session_id IS NULL AND role = 'USER' AND created_at >= ? "
                + "AND created_at < ? ORDER BY created_at, seq", st -> {
                    st.setString(1, threadId);
                    st.setTimestamp(2, Timestamp.from(from));
                    st.setTimestamp(3, Timestamp.from(to));
                });
    }

    /** Stores embeddings computed for messages stored without one (first writer wins; all replicas compute the same). */
    public void saveEmbeddings(Connection c, Map<UUID, byte[]> embeddings) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE message SET embedding = ? WHERE id = ? AND embedding IS NULL")) {
            for (var e : embeddings.entrySet()) {
                st.setBytes(1, e.getValue());
                st.setObject(2, e.getKey());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    /** The DONE summaries with these ids. */
    public List<StoredSummary> summaries(Connection c, Collection<UUID> ids) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id, thread_id, granularity, period_start, covers_from, text "
                + "FROM summary WHERE id = ANY(?) AND status = 'DONE' AND text IS NOT NULL")) {
            st.setArray(1, uuids(c, ids));
            List<StoredSummary> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredSummary(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getObject(4, LocalDate.class), rs.getTimestamp(5).toInstant(), rs.getString(6)));
                }
            }
            return out;
        }
    }

    /** The memories with these ids (those not forgotten). */
    public List<StoredMemory> memories(Connection c, Collection<UUID> ids) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id, thread_id, kind, text, created_at, source_message_id, "
                + "source_summary_id, superseded_by IS NULL AND (expires_at IS NULL OR expires_at > now()) "
                + "FROM memory WHERE id = ANY(?)")) {
            st.setArray(1, uuids(c, ids));
            List<StoredMemory> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredMemory(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getObject(6, UUID.class),
                            rs.getObject(7, UUID.class), rs.getBoolean(8)));
                }
            }
            return out;
        }
    }

    /** The DAILY summaries (DONE) of {@code threadId} for these days: day to summary id. */
    public Map<LocalDate, UUID> daySummaries(Collection<LocalDate> days, String threadId) {
        Map<LocalDate, UUID> out = new HashMap<>();
        if (days.isEmpty()) {
            return out;
        }
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement("SELECT period_start, id FROM summary "
                + "WHERE thread_id = ? AND granularity = 'DAILY' AND status = 'DONE' AND period_start = ANY(?)")) {
            st.setString(1, threadId);
            st.setArray(2, c.createArrayOf("date", days.stream().map(java.sql.Date::valueOf).toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, LocalDate.class), rs.getObject(2, UUID.class));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read day summaries", e);
        }
        return out;
    }

    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    private static List<StoredMessage> messages(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            binder.bind(st);
            List<StoredMessage> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredMessage(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7),
                            rs.getString(8), rs.getBytes(9)));
                }
            }
            return out;
        }
    }

    private static Array uuids(Connection c, Collection<UUID> ids) throws SQLException {
        return c.createArrayOf("uuid", ids.toArray());
    }
}
