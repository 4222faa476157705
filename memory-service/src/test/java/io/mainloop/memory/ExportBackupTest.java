package io.mainloop.memory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.mainloop.contracts.Granularity;
import io.mainloop.contracts.Role;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.MessageRepository;
import io.mainloop.memory.repository.SummaryEntity;
import io.mainloop.memory.repository.SummaryRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * Export (JSON lines and Markdown, filtered by period and kind), and full backup and restore of a
 * thread against real PostgreSQL: restored into a fresh thread, history, summaries, memories and
 * search results answer exactly as before; a thread with history is not overwritten; what is not an archive is refused.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class ExportBackupTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final LocalDate MONDAY = LocalDate.of(2026, 3, 2);

    @Inject
    MessageRepository messages;

    @Inject
    SummaryRepository summaries;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TimeSource time;

    final String thread = "export-" + UUID.randomUUID();

    @Test
    void jsonLinesAndMarkdownExportsHoldWhatWasAskedFor() throws Exception {
        seed(thread);
        String jsonl = given().get("/api/threads/{t}/export", thread).then().statusCode(200)
                .contentType("application/x-ndjson").header("Content-Disposition", containsString(".jsonl"))
                .extract().asString();
        List<JsonNode> items = new ArrayList<>();
        for (String line : jsonl.split("\n")) {
            items.add(JSON.readTree(line));
        }
        assertEquals(List.of("message", "message", "message", "summary", "memory", "memory"),
                items.stream().map(i -> i.path("type").asText()).toList());
        assertEquals("We chose the blue kayak for the lake.", items.get(0).path("text").asText());
        assertEquals("USER", items.get(0).path("role").asText());
        assertTrue(items.get(0).has("createdAt") && !items.get(0).has("embedding") && !items.get(0).has("threadId"),
                items.get(0).toString());

        String memoriesOnly = given().get("/api/threads/{t}/export?kind=MEMORY", thread).then().statusCode(200)
                .extract().asString();
        assertEquals(2, memoriesOnly.lines().count());
        assertTrue(memoriesOnly.lines().allMatch(l -> l.contains("\"type\":\"memory\"")));
        String tuesday = given().get("/api/threads/{t}/export?kind=MESSAGE&from={f}&to={to}", thread,
                MONDAY.plusDays(1).toString(), MONDAY.plusDays(2).toString()).then().statusCode(200).extract().asString();
        assertEquals(1, tuesday.lines().count(), tuesday);
        assertTrue(tuesday.contains("Tuesday we paddled"));

        String md = given().get("/api/threads/{t}/export?format=md", thread).then().statusCode(200)
                .contentType(containsString("text/markdown")).extract().asString();
        assertTrue(md.contains("### Monday 2 March 2026"), md);
        assertTrue(md.contains("**You**, 09:00:\n\nWe chose the blue kayak for the lake."), md);
        assertTrue(md.contains("**Assistant**, 09:01:"), md);
        assertTrue(md.contains("## Summaries") && md.contains("The owner picked a kayak."), md);
        assertTrue(md.contains("- **decision**: Buy the blue kayak."), md);

        given().get("/api/threads/{t}/export?format=pdf", thread).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("jsonl or md"));
        given().get("/api/threads/{t}/export?kind=NOTES", thread).then().statusCode(400);
    }

    @Test
    void aBackupRestoredIntoAFreshInstallGivesTheSameHistorySummariesAndMemories() throws Exception {
        seed(thread);
        String historyBefore = history(thread);
        String summariesBefore = given().get("/api/threads/{t}/summaries?from=2026-03-01&to=2026-04-01", thread)
                .then().statusCode(200).extract().asString();
        String memoriesBefore = given().get("/api/threads/{t}/memories?superseded=true", thread).then().statusCode(200)
                .extract().asString();
        String ownerBefore = given().get("/api/threads/{t}/core-blocks/owner", thread).then().statusCode(200)
                .extract().asString();
        List<String> searchBefore = searchIds(thread, "kayak island");
        assertTrue(searchBefore.size() >= 3, "messages, summary and memory found: " + searchBefore);

        byte[] archive = given().get("/api/threads/{t}/backup", thread).then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        JsonNode manifest = manifest(archive);
        assertEquals("mainloop-thread-backup", manifest.path("format").asText());
        assertEquals(3, manifest.path("tables").path("message").asInt());
        assertEquals(2, manifest.path("tables").path("memory").asInt());

        given().contentType("application/zip").body(archive).post("/api/threads/{t}/restore", thread).then()
                .statusCode(409).contentType("application/problem+json").body("detail", containsString("already has history"));

        erase(thread); // a fresh install
        given().contentType("application/zip").body(archive).post("/api/threads/{t}/restore", thread).then()
                .statusCode(200).body("rows.message", is(3)).body("rows.summary", is(1)).body("rows.core_block", is(1));

        assertTrue(historyBefore.contains("\"id\"") && !historyBefore.contains("\"seq\""), historyBefore);
        assertEquals(historyBefore, history(thread), "the same messages, ids, times and usage, in the same order");
        assertEquals(summariesBefore, given().get("/api/threads/{t}/summaries?from=2026-03-01&to=2026-04-01", thread)
                .then().extract().asString());
        assertEquals(memoriesBefore, given().get("/api/threads/{t}/memories?superseded=true", thread).then().extract().asString());
        assertEquals(ownerBefore, given().get("/api/threads/{t}/core-blocks/owner", thread).then().extract().asString());
        assertEquals(searchBefore, searchIds(thread, "kayak island"), "the same search results, in the same order");

        given().contentType("application/zip").body("not a zip".getBytes(StandardCharsets.UTF_8))
                .post("/api/threads/{t}/restore", "fresh-" + UUID.randomUUID()).then().statusCode(400)
                .contentType("application/problem+json");
        String other = "other-" + UUID.randomUUID();
        given().contentType("application/zip").body(archive).post("/api/threads/{t}/restore", other).then()
                .statusCode(409).body("detail", containsString("restored before"));
        assertEquals(0, given().get("/api/threads/{t}/history?from=2026-03-01&to=2026-04-01", other).then()
                .extract().jsonPath().getList("messages").size(), "nothing half-restored");
    }

    // --- helpers ---

    /** The ids of the hits of {@code q}, best first. */
    private static List<String> searchIds(String threadId, String q) {
        return given().queryParam("q", q).queryParam("limit", 20).get("/api/threads/{t}/search", threadId).then()
                .statusCode(200).extract().jsonPath().getList("hits.id");
    }

    /** The thread's history, without each message's {@code seq} (this install's own cursor; its order is kept). */
    private String history(String threadId) {
        return given().get("/api/threads/{t}/history?from=2026-03-01&to=2026-04-01", threadId).then().statusCode(200)
                .extract().asString().replaceAll("\"seq\":\\d+,", "");
    }

    /** Three messages on two days, a daily summary, a memory superseded by another, the owner core block. */
    private void seed(String threadId) {
        ZoneId zone = time.zone();
        message(threadId, MONDAY.atTime(9, 0).atZone(zone).toInstant(), Role.USER, "We chose the blue kayak for the lake.");
        message(threadId, MONDAY.atTime(9, 1).atZone(zone).toInstant(), Role.ASSISTANT, "A fine choice.");
        message(threadId, MONDAY.plusDays(1).atTime(18, 30).atZone(zone).toInstant(), Role.USER,
                "On Tuesday we paddled to the island.");
        QuarkusTransaction.requiringNew().run(() -> {
            SummaryEntity s = new SummaryEntity();
            s.id = UUID.randomUUID();
            s.threadId = threadId;
            s.granularity = Granularity.DAILY;
            s.periodStart = MONDAY;
            s.periodEnd = MONDAY.plusDays(1);
            s.status = SummaryEntity.DONE;
            s.text = "The owner picked a kayak.";
            s.coversFrom = MONDAY.atStartOfDay(zone).toInstant();
            s.coversTo = MONDAY.plusDays(1).atStartOfDay(zone).toInstant();
            s.sourceCount = 2;
            s.attempts = 1;
            s.requestedAt = time.now();
            s.retryAt = time.now();
            s.completedAt = time.now();
            summaries.persist(s);
        });
        String first = given().contentType("application/json").body(Map.of("kind", "decision", "text", "Buy the red kayak."))
                .post("/api/threads/{t}/memories", threadId).then().statusCode(201).extract().path("id");
        given().contentType("application/json").body(Map.of("kind", "decision", "text", "Buy the blue kayak.", "supersedes", first))
                .post("/api/threads/{t}/memories", threadId).then().statusCode(201);
        given().contentType("application/json").body(Map.of("text", "Ada, paddles on weekends."))
                .put("/api/threads/{t}/core-blocks/owner", threadId).then().statusCode(200);
    }

    private void message(String threadId, java.time.Instant at, Role role, String text) {
        MessageEntity m = new MessageEntity();
        m.id = UUID.randomUUID();
        m.threadId = threadId;
        m.role = role;
        m.text = text;
        m.createdAt = at;
        QuarkusTransaction.requiringNew().run(() -> messages.insertIfAbsent(m));
    }

    /** Deletes everything of the thread, as if it had never been on this install. */
    private void erase(String threadId) throws Exception {
        try (Connection db = dataSource.getConnection()) {
            for (String table : List.of("message", "summary", "memory", "core_block", "turn_context", "heartbeat_checklist",
                    "heartbeat_run", "task_change")) {
                try (PreparedStatement delete = db.prepareStatement("DELETE FROM " + table + " WHERE thread_id = ?")) {
                    delete.setString(1, threadId);
                    delete.executeUpdate();
                }
            }
        }
    }

    private static JsonNode manifest(byte[] archive) throws Exception {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (entry.getName().equals("manifest.json")) {
                    return JSON.readTree(zip.readAllBytes());
                }
            }
        }
        throw new AssertionError("no manifest.json in the archive");
    }
}
