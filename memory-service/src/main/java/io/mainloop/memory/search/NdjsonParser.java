package io.mainloop.memory.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses an NDJSON import: one JSON object per line with {@code role} (user, assistant, system),
 * {@code text}, {@code timestamp} (ISO instant or offset date-time), optional {@code externalId}
 * and {@code sessionId}. Blank lines are skipped. Every bad line is reported with its number.
 */
public final class NdjsonParser {

    /** Most lines one import may hold. */
    public static final int MAX_LINES = 100_000;

    /** Longest text of one message, characters. */
    public static final int MAX_TEXT_CHARS = 200_000;

    /** Most line errors reported. */
    static final int MAX_ERRORS = 20;

    private static final Set<String> ROLES = Set.of("USER", "ASSISTANT", "SYSTEM");

    /** The result: valid lines, and the errors ("line N: why"), at most {@link #MAX_ERRORS}. */
    public record Parsed(List<ImportLine> lines, List<String> errors) {
    }

    private NdjsonParser() {
    }

    /** Reads every line of {@code in}. */
    public static Parsed parse(BufferedReader in, ObjectMapper json) {
        List<ImportLine> lines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int n = 0;
        try {
            for (String raw = in.readLine(); raw != null; raw = in.readLine()) {
                n++;
                if (raw.isBlank()) {
                    continue;
                }
                if (n > MAX_LINES) {
                    errors.add("line " + n + ": more than " + MAX_LINES + " lines; split the import");
                    break;
                }
                try {
                    lines.add(line(n, json.readTree(raw)));
                } catch (JsonProcessingException e) {
                    addError(errors, "line " + n + ": not a JSON object");
                } catch (IllegalArgumentException e) {
                    addError(errors, "line " + n + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Parsed(lines, errors);
    }

    private static void addError(List<String> errors, String error) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(error);
        }
    }

    private static ImportLine line(int n, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String role = text(node, "role");
        if (role == null || !ROLES.contains(role.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("role must be user, assistant or system");
        }
        String text = text(node, "text");
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text is required");
        }
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("text is longer than " + MAX_TEXT_CHARS + " characters");
        }
        String ts = text(node, "timestamp");
        if (ts == null) {
            throw new IllegalArgumentException("timestamp is required (an ISO instant)");
        }
        Instant timestamp;
        try {
            timestamp = OffsetDateTime.parse(ts).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp must be an ISO instant such as 2024-03-14T09:30:00Z");
        }
        String externalId = text(node, "externalId");
        String sessionId = text(node, "sessionId");
        if (externalId != null && externalId.length() > 200 || sessionId != null && sessionId.length() > 200) {
            throw new IllegalArgumentException("externalId and sessionId are at most 200 characters");
        }
        return new ImportLine(n, role.toUpperCase(Locale.ROOT), text, timestamp, blankToNull(externalId),
                blankToNull(sessionId));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
