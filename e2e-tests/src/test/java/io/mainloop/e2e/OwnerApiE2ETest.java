package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import io.mainloop.e2e.support.ThreadClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The owner's memory and heartbeat endpoints through the gateway against the real memory-service
 * (docs/memory.md, "REST"; docs/scheduler.md for the heartbeat): each reads and writes the owner's
 * thread with the query and body passed on unchanged, and memory-service's status and problem body
 * come back to the browser as they were. What the gateway refuses on its own (no owner, malformed
 * ids, oversized bodies, memory-service down) is tested in gateway-service.
 */
@ExtendWith(RunningStack.class)
class OwnerApiE2ETest {

    private static final Duration TURN = Duration.ofSeconds(90);

    @Test
    void theHistoryAndATurnsContextAreTheOwnersThreadsAsked(ThreadClient thread) {
        String marker = "history-" + UUID.randomUUID();
        ThreadClient.Posted posted;
        String turnId;
        try (SseClient stream = thread.stream(null)) {
            posted = thread.post("Note " + marker + " [[reply:Noted " + marker + ".]]");
            Frame done = stream.await(f -> (f.event().equals("turn.completed") || f.event().equals("turn.failed"))
                    && f.data().contains(marker), TURN);
            assertEquals("turn.completed", done.event(), done.data());
            turnId = done.field("turnId");
            stream.await("message.stored", "turnId", turnId, TURN); // the answer is in memory-service now
        }
        String from = posted.acceptedAt().minusSeconds(60).toString();
        JsonNode page = thread.get("/api/history?from=" + from + "&limit=1000");
        List<String> texts = new ArrayList<>();
        page.path("messages").forEach(m -> texts.add(m.path("role").asText() + ": " + m.path("text").asText()));
        int asked = texts.indexOf("USER: Note " + marker + " [[reply:Noted " + marker + ".]]");
        assertTrue(asked >= 0, "the message is in the owner's history: " + texts);
        assertTrue(texts.indexOf("ASSISTANT: Noted " + marker + ".") > asked, "and its answer after it: " + texts);

        JsonNode first = thread.get("/api/history?from=" + from + "&limit=1");
        assertEquals(1, first.path("messages").size(), "the limit reached memory-service: " + first);
        assertTrue(first.path("truncated").asBoolean(), "more than one message since then: " + first);

        JsonNode context = thread.get("/api/thread/turns/" + turnId + "/context");
        assertEquals(turnId, context.path("turnId").asText());
        assertTrue(context.path("layers").size() > 0, "what the assistant saw: " + context);

        thread.call("GET", "/api/thread/turns/" + UUID.randomUUID() + "/context", null).assertProblem(404,
                "no recorded context for turn");
        assertTrue(thread.get("/api/summaries?granularity=DAILY").path("timeZone").asText().length() > 0);
    }

    @Test
    void everyQueryParameterReachesMemoryServiceByItsName(ThreadClient thread) {
        // each one malformed on its own: memory-service's refusal names the parameter it got
        String[][] cases = {{"/api/history?from=yesterday", "from must be"}, {"/api/history?to=tomorrow", "to must be"},
            {"/api/history?limit=0", "limit must be"}, {"/api/summaries?granularity=HOURLY", "granularity must be"},
            {"/api/summaries?from=x", "from must be"}, {"/api/summaries?to=x", "to must be"},
            {"/api/search?q=boat&from=x", "from must be"}, {"/api/search?q=boat&to=x", "to must be"},
            {"/api/search?q=boat&asOf=x", "asOf must be"}, {"/api/search?q=boat&limit=0", "limit must be"},
            {"/api/search?q=boat&kind=MESSAGE&kind=BOGUS", "kind must be"},
            {"/api/search?q=boat&role=robot", "role must be"}, {"/api/search?kind=MESSAGE", "q is required"},
            {"/api/memories?kind=WISH", "kind"}, {"/api/heartbeat/runs?limit=0", "limit must be between 1 and 500"},
            {"/api/export?format=pdf", "format must be jsonl or md"}};
        for (String[] c : cases) {
            thread.call("GET", c[0], null).assertProblem(400, c[1]);
        }
        // and well-formed, all of them at once
        assertEquals(200, thread.call("GET", "/api/search?q=boat&from=2020-01-01&to=2999-01-01&kind=MESSAGE&kind=MEMORY"
                + "&role=USER&limit=5&asOf=2999-01-01T00:00:00Z", null).status());
    }

    @Test
    void memoriesAreKeptInTheOwnersThreadAndItsRefusalsComeBackAsProblems(ThreadClient thread) {
        String tea = "The owner likes tea (" + UUID.randomUUID() + ")";
        Reply created = thread.call("POST", "/api/memories", ThreadClient.json("kind", "FACT", "text", tea));
        assertEquals(201, created.status(), created.body().toString());
        String id = created.body().path("id").asText();
        assertEquals("FACT", created.body().path("kind").asText());
        assertTrue(thread.get("/api/memories?kind=FACT").toString().contains(tea));
        assertFalse(thread.get("/api/memories?kind=DECISION").toString().contains(tea), "the kind filter reached memory-service");

        Reply pinned = thread.call("PATCH", "/api/memories/" + id, "{\"pinned\":true}");
        assertEquals(200, pinned.status(), pinned.body().toString());
        assertTrue(pinned.body().path("pinned").asBoolean());

        String green = "The owner likes green tea (" + UUID.randomUUID() + ")";
        Reply replaced = thread.call("POST", "/api/memories", ThreadClient.json("kind", "FACT", "text", green, "supersedes", id));
        assertEquals(201, replaced.status(), replaced.body().toString());
        String current = thread.get("/api/memories").toString();
        assertTrue(current.contains(green) && !current.contains(tea), "the superseded one is gone from the list");
        assertTrue(thread.get("/api/memories?superseded=true").toString().contains(tea), "and kept for the record");

        String newId = replaced.body().path("id").asText();
        assertEquals(204, thread.call("DELETE", "/api/memories/" + newId, null).status());
        thread.call("DELETE", "/api/memories/" + newId, null).assertProblem(404, "no memory " + newId);
        assertEquals(204, thread.call("DELETE", "/api/memories/" + id, null).status());
        thread.call("POST", "/api/memories", ThreadClient.json("kind", "FACT", "text", "x".repeat(2001))).assertProblem(400,
                "at most 2000");
    }

    @Test
    void aCoreBlockAndTheHeartbeatChecklistAreRewrittenWithinTheirLimits(ThreadClient thread) {
        JsonNode owner = thread.get("/api/core-blocks/owner");
        String before = owner.path("text").asText();
        try {
            String text = "The owner is Ana (" + UUID.randomUUID() + ").";
            Reply put = thread.call("PUT", "/api/core-blocks/owner", ThreadClient.json("text", text));
            assertEquals(200, put.status(), put.body().toString());
            assertEquals(text, thread.get("/api/core-blocks/owner").path("text").asText());
            int max = owner.path("maxChars").asInt();
            thread.call("PUT", "/api/core-blocks/owner", ThreadClient.json("text", "x".repeat(max + 1))).assertProblem(413,
                    "at most " + max);
            assertEquals(text, thread.get("/api/core-blocks/owner").path("text").asText(), "the refused text left it as it was");
        } finally {
            assertEquals(200, thread.call("PUT", "/api/core-blocks/owner", ThreadClient.json("text", before)).status(), "restored");
        }

        String checklist = thread.get("/api/heartbeat").path("checklist").asText();
        try {
            String mine = "- [ ] look at the inbox (" + UUID.randomUUID() + ")";
            Reply put = thread.call("PUT", "/api/heartbeat", ThreadClient.json("checklist", mine));
            assertEquals(200, put.status(), put.body().toString());
            assertEquals(mine, thread.get("/api/heartbeat").path("checklist").asText());
            thread.call("PUT", "/api/heartbeat", ThreadClient.json("checklist", "x".repeat(200_000))).assertProblem(413,
                    "HEARTBEAT.md is longer than");
        } finally {
            assertEquals(200, thread.call("PUT", "/api/heartbeat", ThreadClient.json("checklist", checklist)).status(), "restored");
        }
        JsonNode runs = thread.get("/api/heartbeat/runs?limit=5");
        assertTrue(runs.path("runs").isArray() && runs.path("today").isObject(), runs.toString());
    }
}
