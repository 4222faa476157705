package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Recall through the whole system: outside history imported through the gateway (once, however
 * often it is sent; a bad line refused whole), found by meaning with the gateway's search (no word
 * in common), exported and backed up through the gateway, and found by the assistant itself: the real CLI calls memory-service's
 * {@code search_memory} tool over MCP during a turn (the stand-in scripts the call) and answers
 * with the hit.
 */
@ExtendWith(RunningStack.class)
class RecallE2ETest {

    static final Duration TURN = Duration.ofSeconds(90);

    @Test
    void importedHistoryIsFoundByMeaningAndByTheAssistant(ThreadClient thread) throws Exception {
        String marker = "Lake" + UUID.randomUUID().toString().substring(0, 6);
        Instant at = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String ndjson = line("USER", "On Saturday we took the kayak out on " + marker + " and paddled to the island.",
                at, "ext-" + marker + "-1")
                + line("ASSISTANT", "That sounds like a lovely morning on the water.", at.plusSeconds(30), "ext-" + marker + "-2");
        ThreadClient.Answer first = thread.post("/api/import", "application/x-ndjson", ndjson);
        assertEquals(200, first.status(), first.body().toString());
        assertEquals(2, first.body().path("imported").asInt());
        ThreadClient.Answer again = thread.post("/api/import", "application/x-ndjson", ndjson);
        assertEquals(0, again.body().path("imported").asInt(), "imported once, by external id");
        assertEquals(2, again.body().path("skipped").asInt());
        ThreadClient.Answer bad = thread.post("/api/import", "application/x-ndjson",
                line("USER", "a good line " + marker, at, "ext-" + marker + "-3") + "{\"role\":\"USER\",\"text\":\"no time\"}\n");
        assertEquals(400, bad.status(), bad.body().toString());
        assertTrue(bad.body().path("detail").asText().contains("line 2"), bad.body().toString());
        // an import larger than a default request body (10 MiB) reaches memory-service whole through the
        // gateway: its bad last line is named, not the size refused
        StringBuilder big = new StringBuilder();
        String filler = "x".repeat(1000);
        int lines = 11_000;
        for (int i = 1; i < lines; i++) {
            big.append(line("USER", "line " + i + " " + filler, at, "ext-" + marker + "-big-" + i));
        }
        big.append("{\"role\":\"USER\",\"text\":\"no time\"}\n");
        ThreadClient.Answer large = thread.post("/api/import", "application/x-ndjson", big.toString());
        assertEquals(400, large.status(), large.body().toString());
        assertTrue(large.body().path("detail").asText().contains("line " + lines), large.body().toString());
        // its first 20 lines, alone: imported (and exported below, more than a buffer's worth)
        String first20 = big.toString().lines().limit(20).map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
        assertEquals(20, thread.post("/api/import", "application/x-ndjson", first20).body().path("imported").asInt());

        // by meaning: "boat" and "paddling" share no word with "kayak"
        JsonNode hit = awaitHit(thread, "boat trip " + marker, marker);
        assertEquals("MESSAGE", hit.path("kind").asText());
        assertEquals("USER", hit.path("role").asText());
        assertTrue(hit.path("snippet").asText().contains("kayak"), hit.toString());
        JsonNode semantic = thread.get("/api/search?q=" + enc("the boat") + "&limit=20");
        boolean kayakFound = false;
        for (JsonNode h : semantic.path("hits")) {
            kayakFound |= h.path("snippet").asText().contains(marker);
        }
        assertTrue(kayakFound, "\"the boat\" finds the kayak message: " + semantic.path("hits"));
        for (JsonNode h : thread.get("/api/search?q=" + enc("kayak " + marker) + "&limit=5&kind=MEMORY").path("hits")) {
            assertEquals("MEMORY", h.path("kind").asText(), "kind filters: " + h);
        }

        // export and backup through the gateway
        ThreadClient.Download md = thread.download("/api/export?format=md&kind=MESSAGE&from=" + enc(at.minusSeconds(1).toString()));
        assertEquals(200, md.status());
        assertTrue(md.contentType().startsWith("text/markdown"), md.contentType());
        assertTrue(md.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"), md.headers().map().toString());
        assertTrue(md.body().length > 16_384 && md.headers().firstValue("Content-Length").isEmpty(),
                "streamed as memory-service writes it, not held by the gateway: "
                + md.headers().map());
        assertTrue(new String(md.body(), StandardCharsets.UTF_8).contains("took the kayak out on " + marker), "the export holds it");
        ThreadClient.Download archive = thread.download("/api/backup");
        assertEquals(200, archive.status());
        assertEquals("application/zip", archive.contentType());
        assertEquals('P', (char) archive.body()[0], "a zip archive");
        ThreadClient.Answer refused = thread.post("/api/restore", "application/zip", archive.body());
        assertEquals(409, refused.status(), "a thread with history is never overwritten: " + refused.body());

        // the assistant searches its memory with the real CLI through MCP and uses the hit
        try (SseClient stream = thread.stream(null)) {
            ThreadClient.Posted asked = thread.post("Where did we paddle? [[tool:mcp__memory__search_memory:"
                    + "{\"query\":\"kayak island " + marker + "\",\"limit\":3}]]");
            stream.await("message.stored", "messageId", asked.messageId(), TURN);
            Frame call = stream.await(f -> f.event().equals("tool.call") && f.data().contains("search_memory"), TURN);
            Frame result = stream.await(f -> f.event().equals("tool.result")
                    && f.field("toolUseId").equals(call.field("toolUseId")), TURN);
            assertTrue(result.data().contains(marker), "the tool found the imported message: " + result.data());
            Frame done = stream.await(f -> f.event().equals("turn.completed") || f.event().equals("turn.failed"), TURN);
            assertEquals("turn.completed", done.event(), done.data());
            assertTrue(done.field("text").contains(marker), "the answer uses the hit: " + done.field("text"));
        }
    }

    private static JsonNode awaitHit(ThreadClient thread, String query, String mustContain) throws InterruptedException {
        long deadline = System.nanoTime() + TURN.toNanos();
        while (true) {
            for (JsonNode hit : thread.get("/api/search?q=" + enc(query) + "&limit=10").path("hits")) {
                if (hit.path("snippet").asText().contains(mustContain)) {
                    return hit;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no hit for " + query);
            }
            Thread.sleep(200); // polling interval: the index takes the import in within moments
        }
    }

    /** One NDJSON line of {@code POST /api/import}. */
    static String line(String role, String text, Instant at, String externalId) {
        return "{\"role\":\"" + role + "\",\"text\":\"" + text + "\",\"timestamp\":\"" + at + "\",\"externalId\":\""
                + externalId + "\"}\n";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
