package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
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
 * Also: the services' internal APIs answer only calls with the gateway's token.
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
