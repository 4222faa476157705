package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import io.mainloop.e2e.support.ThreadClient.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schedules through the whole system with the real Claude Code CLI against the stand-in: the
 * assistant sets a reminder with scheduler-service's {@code schedule} MCP tool ("remind me in 2
 * minutes"), scheduler-service fires it (its clock runs 2 minutes behind in the end-to-end tests,
 * {@code MAINLOOP_SCHEDULER_CLOCK_OFFSET=-PT2M}, so "in 2 minutes" is due at once: no waiting), and
 * the reminder comes into the thread as a scheduled entry that the assistant answers, proactively.
 * The owner's schedule endpoints through the gateway against the real scheduler-service: a
 * schedule made, listed, run now (its turn answered in the thread), paused and deleted in the
 * owner's thread, whatever thread the request named, its refusals passed back as problems, and
 * another thread's schedule neither listed, shown, changed, deleted nor run. Also: the services'
 * internal APIs answer only calls with the gateway's token.
 */
@ExtendWith(RunningStack.class)
class SchedulesE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theServicesInternalApisAnswerOnlyWithTheGatewaysToken(LocalStack stack) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String[] api : new String[][] {{"memory-service", "/api/threads/main/messages"},
                {"agent-service", "/api/threads/main/tasks"}, {"scheduler-service", "/api/schedules"}}) {
            URI uri = URI.create("http://127.0.0.1:" + stack.port(api[0]) + api[1]);
            HttpResponse<String> without = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, without.statusCode(), api[0] + " without the token: " + without.body());
            assertEquals("application/problem+json", without.headers().firstValue("Content-Type").orElse(""));
            HttpResponse<String> forged = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer forged")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, forged.statusCode(), api[0] + " with another token");
            HttpResponse<String> with = http.send(io.mainloop.e2e.support.ServiceApi.request(stack, api[0], api[1]).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, with.statusCode(), api[0] + " with the token: " + with.body());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + stack.port(api[0]) + "/q/health/live")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), "health needs no token");
        }
    }

    @Test
    void theOwnerManagesTheSchedulesOfTheirThreadAndOfNoOther(LocalStack stack, ThreadClient thread) throws Exception {
        String marker = "plan-" + UUID.randomUUID().toString().substring(0, 8);
        HttpClient http = HttpClient.newHttpClient();
        String id = null;
        String theirs = null;
        try {
            // due in 2099 only (it never fires by itself during a test run), and run now by hand
            Reply created = thread.call("POST", "/api/schedules", "{\"title\":\"Plan " + marker + "\",\"prompt\":\"Plan my week "
                    + marker + " [[reply:Planned " + marker + ".]]\",\"runAt\":\"2099-01-05T08:00\",\"threadId\":\"ops\"}");
            assertEquals(201, created.status(), created.body().toString());
            id = created.body().path("id").asText();
            assertEquals("main", created.body().path("threadId").asText(), "placed in the owner's thread, not the one it named");
            assertEquals("OWNER", created.body().path("createdBy").asText());
            assertTrue(created.body().path("nextFireAt").asText().startsWith("2099-01-05"), created.body().toString());
            assertTrue(thread.get("/api/schedules").toString().contains(id), "in the owner's list");
            assertEquals("Plan " + marker, thread.get("/api/schedules/" + id).path("title").asText());

            try (SseClient stream = thread.stream(null)) {
                Reply run = thread.call("POST", "/api/schedules/" + id + "/run", null);
                assertEquals(202, run.status(), run.body().toString());
                assertEquals(id, run.body().path("scheduleId").asText());
                Frame answer = stream.awaitAny(f -> f.event().equals("message.stored") && "ASSISTANT".equals(f.field("role"))
                        && f.field("text").contains(marker), WAIT);
                assertEquals("SCHEDULED", answer.field("turnKind"), "run now: the prompt's turn answered in the thread");
                stream.awaitAny(f -> f.event().equals("turn.completed") && f.field("turnId").equals(answer.field("turnId")), WAIT);
            }

            Reply paused = thread.call("PUT", "/api/schedules/" + id, "{\"title\":\"Plan " + marker + "\",\"prompt\":\"Plan\","
                    + "\"runAt\":\"2099-02-02T09:00\",\"enabled\":false,\"threadId\":\"ops\"}");
            assertEquals(200, paused.status(), paused.body().toString());
            assertEquals("main", paused.body().path("threadId").asText(), "a change cannot move it to another thread");
            assertFalse(thread.get("/api/schedules/" + id).path("enabled").asBoolean(), "the change is kept");
            thread.call("POST", "/api/schedules", "{\"prompt\":\"x\"}").assertProblem(400,
                    "give exactly one of cron (recurring) and runAt (one-shot)");
            assertEquals(204, thread.call("DELETE", "/api/schedules/" + id, null).status());
            thread.call("GET", "/api/schedules/" + id, null).assertProblem(404, "no schedule " + id);
            id = null;

            // another thread's schedule (made at scheduler-service itself): the owner neither sees, changes, deletes nor runs it
            HttpResponse<String> made = http.send(io.mainloop.e2e.support.ServiceApi.request(stack, "scheduler-service",
                            "/api/schedules").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"threadId\":\"ops-" + marker + "\",\"title\":\"Ops\",\"prompt\":\"Check the build\","
                                    + "\"runAt\":\"2099-01-05T08:00\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, made.statusCode(), made.body());
            theirs = JSON.readTree(made.body()).path("id").asText();
            assertFalse(thread.get("/api/schedules").toString().contains(theirs), "not in the owner's list");
            for (String[] call : new String[][] {{"GET", ""}, {"PUT", ""}, {"DELETE", ""}, {"POST", "/run"}}) {
                Reply refused = thread.call(call[0], "/api/schedules/" + theirs + call[1],
                        call[0].equals("PUT") ? "{\"prompt\":\"x\",\"runAt\":\"2099-03-02T09:00\",\"enabled\":false}" : null);
                refused.assertProblem(404, "");
            }
            HttpResponse<String> after = http.send(io.mainloop.e2e.support.ServiceApi.request(stack, "scheduler-service",
                    "/api/schedules/" + theirs).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode(), "still there: " + after.body());
            JsonNode kept = JSON.readTree(after.body());
            assertEquals("Check the build", kept.path("prompt").asText(), "unchanged");
            assertTrue(kept.path("enabled").asBoolean(), "unchanged");
            assertTrue(kept.path("lastFiredAt").isMissingNode() || kept.path("lastFiredAt").isNull(), "never run: " + kept);
        } finally {
            for (String left : new String[] {id, theirs}) {
                if (left != null) {
                    http.send(io.mainloop.e2e.support.ServiceApi.request(stack, "scheduler-service", "/api/schedules/" + left)
                            .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                }
            }
        }
    }

    @Test
    void theAssistantSetsAReminderThroughMcpAndItFiresIntoTheThread(LocalStack stack, ThreadClient thread) throws Exception {
        String marker = "stretch-" + UUID.randomUUID().toString().substring(0, 8);
        try (SseClient stream = thread.stream(null)) {
            thread.post("Remind me in 2 minutes to stretch. [[tool:mcp__scheduler__schedule:{\"prompt\":\"Time to stretch ("
                    + marker + ").\",\"in\":\"PT2M\",\"title\":\"Stretch\"}]]");
            Frame set = stream.await(f -> f.event().equals("turn.completed") || f.event().equals("turn.failed"), WAIT);
            assertEquals("turn.completed", set.event(), set.data());
            assertTrue(set.field("text").contains("Scheduled REMINDER"), "the tool answered: " + set.field("text"));

            // due at once: the reminder may fire while the turn that set it still runs
            Frame entry = stream.awaitAny(f -> f.event().equals("message.stored") && "SYSTEM".equals(f.field("role"))
                    && f.field("text").contains(marker), WAIT);
            assertTrue(entry.field("text").startsWith("Reminder \"Stretch\""), entry.field("text"));
            assertEquals("SCHEDULED", entry.field("turnKind"));
            Frame reply = stream.awaitAny(f -> f.event().equals("message.stored") && "ASSISTANT".equals(f.field("role"))
                    && f.field("text").contains(marker), WAIT);
            assertEquals("SCHEDULED", reply.field("turnKind"));
            assertEquals("true", reply.field("proactive"), "pushed to the owner's devices: " + reply.data());
        }
        // the reminder, set by the assistant, fired once and is kept (disabled) for the record
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                io.mainloop.e2e.support.ServiceApi.request(stack, "scheduler-service", "/api/schedules").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode reminder = null;
        for (JsonNode s : JSON.readTree(response.body()).path("schedules")) {
            if (s.path("prompt").asText().contains(marker)) {
                reminder = s;
            }
        }
        assertTrue(reminder != null, response.body());
        assertEquals("ASSISTANT", reminder.path("createdBy").asText());
        assertEquals("REMINDER", reminder.path("kind").asText());
        assertEquals(false, reminder.path("enabled").asBoolean());
        long entries = thread.history(50).stream()
                .filter(m -> "SYSTEM".equals(m.path("role").asText()) && m.path("text").asText().contains(marker)).count();
        assertEquals(1, entries, "fired once");
    }
}
