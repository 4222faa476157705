package io.mainloop.memory.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.mainloop.memory.memories.MemoryRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.BufferedReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Imports outside history into a thread: NDJSON messages ({@link NdjsonParser}), idempotent by
 * external id (lines whose id the thread already has, or that repeat an earlier line's, are
 * skipped), embedded in bulk before the transaction, then inserted in one transaction with JDBC
 * batches: a bad line rejects the whole import and nothing is stored. Imported messages belong
 * to a closed pseudo-turn (the import's id), so none waits for an answer.
 */
@ApplicationScoped
public class ImportService {

    /** Rows per JDBC batch. */
    static final int INSERT_BATCH = 500;

    /**
     * The outcome.
     *
     * @param importId the import's id (the pseudo-turn of its messages)
     * @param imported messages stored
     * @param skipped lines skipped as already imported (same external id)
     */
    public record Result(UUID importId, int imported, int skipped) {
    }

    @Inject
    ObjectMapper json;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Embedder embedder;

    @Inject
    Inserter inserter;

    @Inject
    io.mainloop.memory.config.MemoryConfig config;

    /**
     * Imports {@code body} into {@code threadId}.
     *
     * @throws MemoryRequestException 400 naming the bad lines (nothing imported), or for an empty body;
     *         503 when the database cannot be reached (nothing imported)
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Result importNdjson(String threadId, BufferedReader body) {
        NdjsonParser.Parsed parsed = NdjsonParser.parse(body, json);
        if (!parsed.errors().isEmpty()) {
            throw new MemoryRequestException(400, "nothing imported; " + String.join("; ", parsed.errors()));
        }
        if (parsed.lines().isEmpty()) {
            throw new MemoryRequestException(400, "no messages: send one JSON object per line");
        }
        Set<String> known = existingExternalIds(threadId, parsed.lines());
        List<ImportLine> fresh = new ArrayList<>();
        for (ImportLine l : parsed.lines()) {
            if (l.externalId() == null || known.add(l.externalId())) {
                fresh.add(l);
            }
        }
        List<byte[]> embeddings = embed(fresh);
        UUID importId = UUID.randomUUID();
        int imported = fresh.isEmpty() ? 0 : inserter.insert(threadId, importId, fresh, embeddings);
        return new Result(importId, imported, parsed.lines().size() - imported);
    }

    /** Each message's chunk vectors, in bulk (null for roles not embedded, {@code search.embed-roles}). */
    private List<byte[]> embed(List<ImportLine> lines) {
        List<String> chunks = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        Set<String> roles = config.search().embedRoles();
        for (ImportLine l : lines) {
            List<String> parts = roles.contains(l.role()) ? Chunker.chunks(l.text()) : List.of();
            chunks.addAll(parts);
            counts.add(parts.size());
        }
        List<float[]> vectors = embedder.embedPassages(chunks);
        List<byte[]> out = new ArrayList<>(lines.size());
        int at = 0;
        for (int count : counts) {
            out.add(count == 0 ? null : Vectors.toBytes(vectors.subList(at, at + count)));
            at += count;
        }
        return out;
    }

    private Set<String> existingExternalIds(String threadId, List<ImportLine> lines) {
        Set<String> ids = new HashSet<>();
        lines.stream().map(ImportLine::externalId).filter(java.util.Objects::nonNull).forEach(ids::add);
        Set<String> known = new HashSet<>();
        if (ids.isEmpty()) {
            return known;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT external_id FROM message WHERE thread_id = ? AND external_id = ANY(?)")) {
            st.setString(1, threadId);
            st.setArray(2, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read imported ids", e);
        }
        return known;
    }

    /**
     * What an import that failed on {@code e} answers: 503 when PostgreSQL could not be reached
     * (SQLState class 08 connection exception or 57P operator intervention, or none: the pool's
     * acquisition timeout), so the owner knows to send it again (lines with an external id are
     * never imported twice); else an internal error (500).
     */
    static RuntimeException failure(String what, SQLException e) {
        String state = e.getSQLState();
        if (state == null || state.startsWith("08") || state.startsWith("57P")) {
            return new MemoryRequestException(503, "nothing imported: the database is unavailable right now; "
                    + "send it again (lines with an externalId are not imported twice)");
        }
        return new IllegalStateException(what + ": " + e.getMessage(), e);
    }

    /** The transactional part: every row or none. */
    @ApplicationScoped
    public static class Inserter {

        @Inject
        AgroalDataSource dataSource;

        /** Inserts {@code lines} with their embeddings in one transaction; a line whose external id appeared meanwhile is skipped. */
        @Transactional
        public int insert(String threadId, UUID importId, List<ImportLine> lines, List<byte[]> embeddings) {
            try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement("""
                    INSERT INTO message (id, thread_id, role, text, created_at, turn_id, proactive, external_id,
                                         session_id, embedding)
                    VALUES (?, ?, ?, ?, ?, ?, false, ?, ?, ?)
                    ON CONFLICT (thread_id, external_id) WHERE external_id IS NOT NULL DO NOTHING""")) {
                int stored = 0;
                for (int i = 0; i < lines.size(); i++) {
                    ImportLine l = lines.get(i);
                    st.setObject(1, UUID.randomUUID());
                    st.setString(2, threadId);
                    st.setString(3, l.role());
                    st.setString(4, l.text());
                    st.setTimestamp(5, Timestamp.from(l.timestamp()));
                    st.setObject(6, importId);
                    st.setString(7, l.externalId());
                    st.setString(8, l.sessionId());
                    st.setBytes(9, embeddings.get(i));
                    st.addBatch();
                    if ((i + 1) % INSERT_BATCH == 0 || i == lines.size() - 1) {
                        for (int n : st.executeBatch()) {
                            stored += Math.max(0, n);
                        }
                    }
                }
                return stored;
            } catch (SQLException e) {
                throw failure("import failed, nothing stored", e);
            }
        }
    }
}
