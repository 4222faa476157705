package io.mainloop.memory.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.mainloop.memory.memories.MemoryRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.jboss.logging.Logger;

/**
 * Full backup and restore of one thread: a zip archive with {@code manifest.json} (format, version,
 * the thread, the schema version, the row count of each table) and one {@code <table>.jsonl} per
 * table of {@link ThreadTables}, a row a line exactly as PostgreSQL stores it ({@code row_to_json}).
 * A restore into a thread with no messages, summaries or memories (a fresh install) inserts every
 * row as it was (the same ids, times, texts, usage and stored embeddings; the messages in their
 * stored order, under new sequence numbers) in one transaction, so history, summaries, memories and
 * search results come back identical (the search index takes the rows in from its feed).
 */
@ApplicationScoped
public class BackupService {

    private static final Logger LOG = Logger.getLogger(BackupService.class);
    /** The archive's format name, in its manifest. */
    public static final String FORMAT = "mainloop-thread-backup";
    /** The archive's format version. */
    public static final int VERSION = 1;
    static final String MANIFEST = "manifest.json";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /**
     * Writes the archive of {@code threadId} to {@code out} (not closed), table by table, from one
     * consistent snapshot (a repeatable-read, read-only transaction).
     *
     * @throws IOException if writing fails
     */
    public void backup(String threadId, OutputStream out) throws IOException {
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            db.setReadOnly(true);
            ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
            Map<String, Long> counts = new LinkedHashMap<>();
            for (ThreadTables.Table table : ThreadTables.ALL) {
                zip.putNextEntry(new ZipEntry(table.name() + ".jsonl"));
                Writer writer = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
                long rows = 0;
                try (PreparedStatement rowsOf = db.prepareStatement("SELECT row_to_json(t)::text FROM " + table.name()
                        + " t WHERE thread_id = ? ORDER BY " + table.orderBy())) {
                    rowsOf.setFetchSize(500);
                    rowsOf.setString(1, threadId);
                    try (ResultSet rs = rowsOf.executeQuery()) {
                        while (rs.next()) {
                            writer.write(rs.getString(1));
                            writer.write('\n');
                            rows++;
                        }
                    }
                }
                writer.flush();
                zip.closeEntry();
                counts.put(table.name(), rows);
            }
            ObjectNode manifest = json.createObjectNode().put("format", FORMAT).put("version", VERSION)
                    .put("threadId", threadId).put("createdAt", Instant.now().toString())
                    .put("schemaVersion", schemaVersion(db));
            ObjectNode tables = manifest.putObject("tables");
            counts.forEach(tables::put);
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            zip.closeEntry();
            zip.finish();
            db.rollback();
            LOG.infof("backup of thread %s: %s", threadId, counts);
        } catch (SQLException e) {
            throw new IOException("the backup could not be read from the database: " + e.getMessage(), e);
        }
    }

    /**
     * What a restore put back.
     *
     * @param threadId the thread restored into
     * @param fromThread the thread the archive was made of
     * @param rows the rows inserted per table
     */
    public record Restored(String threadId, String fromThread, Map<String, Long> rows) {
    }

    /**
     * Restores the archive {@code in} into {@code threadId} (the archive's rows get this thread id),
     * all or nothing.
     *
     * @throws MemoryRequestException 400 if it is not such an archive (or one of a newer schema), 409
     *         if the thread already has messages, summaries or memories, or an id in the archive is
     *         taken (restored before, into another thread)
     */
    public Restored restore(String threadId, InputStream in) {
        Map<String, List<String>> entries = new HashMap<>();
        ObjectNode manifest = null;
        try (ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                BufferedReader reader = new BufferedReader(new InputStreamReader(zip, StandardCharsets.UTF_8));
                if (entry.getName().equals(MANIFEST)) {
                    JsonNode read = json.readTree(reader.lines().reduce("", (a, b) -> a + b + "\n"));
                    manifest = read instanceof ObjectNode o ? o : null;
                } else if (entry.getName().endsWith(".jsonl")) {
                    entries.put(entry.getName().substring(0, entry.getName().length() - ".jsonl".length()),
                            reader.lines().filter(l -> !l.isBlank()).toList());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new MemoryRequestException(400, "not a thread backup archive (a zip): " + e.getMessage());
        }
        if (manifest == null || !FORMAT.equals(manifest.path("format").asText()) || manifest.path("version").asInt() != VERSION) {
            throw new MemoryRequestException(400, "not a " + FORMAT + " version " + VERSION + " archive (its manifest.json)");
        }
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            try {
                String schema = schemaVersion(db);
                if (compareVersions(manifest.path("schemaVersion").asText("0"), schema) > 0) {
                    throw new MemoryRequestException(400, "the archive was made by a newer mainloop (schema "
                            + manifest.path("schemaVersion").asText() + "; this one has " + schema + ")");
                }
                if (hasData(db, threadId)) {
                    throw new MemoryRequestException(409, "thread " + threadId + " already has history; restore into a "
                            + "thread with none (a fresh install)");
                }
                Map<String, Long> rows = new LinkedHashMap<>();
                for (ThreadTables.Table table : ThreadTables.ALL) {
                    List<String> lines = entries.getOrDefault(table.name(), List.of());
                    long expected = manifest.path("tables").path(table.name()).asLong(lines.size());
                    if (expected != lines.size()) {
                        throw new MemoryRequestException(400, table.name() + ".jsonl has " + lines.size()
                                + " rows; the manifest says " + expected);
                    }
                    rows.put(table.name(), insert(db, table.name(), threadId, lines));
                }
                db.commit();
                LOG.infof("restored thread %s from a backup of %s: %s", threadId, manifest.path("threadId").asText(), rows);
                return new Restored(threadId, manifest.path("threadId").asText(), rows);
            } catch (SQLException e) {
                db.rollback();
                if ("23505".equals(e.getSQLState())) {
                    throw new MemoryRequestException(409, "an id in the archive is taken in this install (was it "
                            + "restored before?): " + e.getMessage());
                }
                throw e;
            } catch (RuntimeException e) {
                db.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the restore failed in the database: " + e.getMessage(), e);
        }
    }

    private long insert(Connection db, String table, String threadId, List<String> lines) throws SQLException {
        if (lines.isEmpty()) {
            return 0;
        }
        List<String> columns = columns(db, table);
        String list = String.join(", ", columns);
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + table + " (" + list + ") SELECT " + list
                + " FROM json_populate_record(NULL::" + table + ", CAST(? AS json))")) {
            for (String line : lines) {
                ObjectNode row;
                try {
                    row = (ObjectNode) json.readTree(line);
                } catch (IOException | ClassCastException e) {
                    throw new MemoryRequestException(400, table + ".jsonl has a line that is not a JSON object");
                }
                row.put("thread_id", threadId);
                insert.setString(1, row.toString());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return lines.size();
    }

    /** The table's columns but those filled by a sequence (a message's {@code seq}: given anew, in order). */
    private static List<String> columns(Connection db, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = ? AND coalesce(column_default, '') NOT LIKE 'nextval(%' "
                + "ORDER BY ordinal_position")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    columns.add('"' + rs.getString(1) + '"');
                }
            }
        }
        return columns;
    }

    private static boolean hasData(Connection db, String threadId) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT EXISTS (SELECT 1 FROM message WHERE thread_id = ?) "
                + "OR EXISTS (SELECT 1 FROM summary WHERE thread_id = ?) OR EXISTS (SELECT 1 FROM memory WHERE thread_id = ?)")) {
            query.setString(1, threadId);
            query.setString(2, threadId);
            query.setString(3, threadId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Flyway's latest applied version of this schema, e.g. {@code 8}. */
    private static String schemaVersion(Connection db) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1");
             ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getString(1) : "0";
        }
    }

    /** Compares dotted versions numerically ({@code 8} < {@code 10}). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? parse(x[i]) : 0;
            long q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long parse(String part) {
        try {
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
