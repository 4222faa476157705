package io.mainloop.memory.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.mainloop.memory.config.TimeSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A thread's history as a file to keep or read: its messages, summaries and memories, those
 * written in {@code [from, to)}, of the kinds asked for. {@code jsonl}: one JSON object a line, a
 * {@code type} ({@code message}, {@code summary}, {@code memory}) and the item's fields in camelCase
 * (no embeddings); {@code md}: Markdown for a person, the messages by day in the owner's time zone,
 * then the summaries, then the memories. Written as read (a cursor of 500 rows), never held whole.
 */
@ApplicationScoped
public class ExportService {

    /** The kinds of items there are. */
    public static final Set<String> KINDS = Set.of("MESSAGE", "SUMMARY", "MEMORY");

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    TimeSource time;

    /**
     * What to export.
     *
     * @param threadId the thread
     * @param from items written from then on, or null
     * @param to items written before then, or null
     * @param kinds MESSAGE, SUMMARY, MEMORY (empty: all)
     * @param markdown Markdown, else JSON lines
     */
    public record Request(String threadId, Instant from, Instant to, Set<String> kinds, boolean markdown) {
    }

    /**
     * Writes the export to {@code out} (flushed, not closed).
     *
     * @throws IOException if the database cannot be read or writing fails
     */
    public void export(Request request, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try (Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            db.setReadOnly(true);
            if (request.markdown()) {
                writer.write("# mainloop: thread " + request.threadId() + "\n\nExported " + Instant.now() + ".\n");
            }
            if (wants(request, "MESSAGE")) {
                messages(db, request, writer);
            }
            if (wants(request, "SUMMARY")) {
                rows(db, request, writer, "summary", "summary", "covers_from", "period_start, granularity");
            }
            if (wants(request, "MEMORY")) {
                rows(db, request, writer, "memory", "memory", "created_at", "kind, created_at");
            }
            db.rollback();
        } catch (SQLException e) {
            throw new IOException("the export could not be read: " + e.getMessage(), e);
        }
        writer.flush();
    }

    private static boolean wants(Request request, String kind) {
        return request.kinds().isEmpty() || request.kinds().contains(kind);
    }

    private void messages(Connection db, Request request, Writer out) throws SQLException, IOException {
        LocalDate day = null;
        if (request.markdown()) {
            out.write("\n## Messages\n");
        }
        try (PreparedStatement query = select(db, "message", "created_at", "seq", request)) {
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ObjectNode row = item(rs.getString(1), "message");
                    if (!request.markdown()) {
                        line(out, row);
                        continue;
                    }
                    ZonedDateTime at = Instant.parse(row.path("createdAt").asText()).atZone(time.zone());
                    if (!at.toLocalDate().equals(day)) {
                        day = at.toLocalDate();
                        out.write("\n### " + DAY.format(day) + "\n");
                    }
                    String who = switch (row.path("role").asText()) {
                        case "USER" -> "You";
                        case "ASSISTANT" -> "Assistant";
                        default -> "System";
                    };
                    out.write("\n**" + who + "**, " + TIME.format(at) + ":\n\n" + row.path("text").asText().strip() + "\n");
                }
            }
        }
    }

    private void rows(Connection db, Request request, Writer out, String table, String type, String timeColumn,
                      String orderBy) throws SQLException, IOException {
        if (request.markdown()) {
            out.write(table.equals("summary") ? "\n## Summaries\n" : "\n## Memories\n");
        }
        try (PreparedStatement query = select(db, table, timeColumn, orderBy, request);
             ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                ObjectNode row = item(rs.getString(1), type);
                if (!request.markdown()) {
                    line(out, row);
                } else if (type.equals("summary")) {
                    if ("DONE".equals(row.path("status").asText())) {
                        out.write("\n### " + row.path("granularity").asText().toLowerCase(Locale.ROOT) + " from "
                                + row.path("periodStart").asText() + "\n\n" + row.path("text").asText().strip() + "\n");
                    }
                } else {
                    String kind = row.path("kind").asText().toLowerCase(Locale.ROOT);
                    String state = !row.path("supersededBy").isNull() && !row.path("supersededBy").isMissingNode()
                            ? " (superseded)" : row.path("pinned").asBoolean() ? " (pinned)" : "";
                    out.write("\n- **" + kind + "**" + state + ": " + row.path("text").asText().strip());
                }
            }
        }
        if (request.markdown() && table.equals("memory")) {
            out.write("\n");
        }
    }

    private static PreparedStatement select(Connection db, String table, String timeColumn, String orderBy,
                                            Request request) throws SQLException {
        PreparedStatement query = db.prepareStatement("SELECT (to_jsonb(t) - 'embedding' - 'seq')::text FROM " + table
                + " t WHERE thread_id = ? AND (CAST(? AS timestamptz) IS NULL OR " + timeColumn + " >= ?)"
                + " AND (CAST(? AS timestamptz) IS NULL OR " + timeColumn + " < ?) ORDER BY " + orderBy);
        query.setFetchSize(500);
        query.setString(1, request.threadId());
        Timestamp from = request.from() == null ? null : Timestamp.from(request.from());
        Timestamp to = request.to() == null ? null : Timestamp.from(request.to());
        query.setTimestamp(2, from);
        query.setTimestamp(3, from);
        query.setTimestamp(4, to);
        query.setTimestamp(5, to);
        return query;
    }

    /** A row as an export item: its type first, then its fields in camelCase, without the thread id. */
    private ObjectNode item(String rowJson, String type) throws IOException {
        JsonNode row = json.readTree(rowJson);
        ObjectNode item = json.createObjectNode().put("type", type);
        for (Iterator<Map.Entry<String, JsonNode>> fields = row.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("thread_id")) {
                item.set(camel(field.getKey()), field.getValue());
            }
        }
        return item;
    }

    private void line(Writer out, ObjectNode row) throws IOException {
        out.write(json.writeValueAsString(row));
        out.write('\n');
    }

    /** {@code created_at} -> {@code createdAt}. */
    static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
