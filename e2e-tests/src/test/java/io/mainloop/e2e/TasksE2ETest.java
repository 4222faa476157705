package io.mainloop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.testing.SseClient;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.devstack.testing.SseClient.Frame;
import io.mainloop.e2e.support.RunningStack;
import io.mainloop.e2e.support.ThreadClient;
import io.mainloop.e2e.support.ThreadClient.Reply;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sub-agents through the whole system with the real Claude Code CLI against the stand-in: the
 * main thread's assistant calls {@code spawn_tasks}, the task runs as its own CLI, its result
 * comes back into the thread, and the assistant gets a turn to report it; a task survives a
 * {@code kill -9} of agent-service (its CLI runs on and is followed again) and ends once. The
 * owner's task endpoints through the gateway against the real agent-service: a task made in the
 * owner's thread, its log read live and whole, cancelled, its result seen in the inbox, and
 * agent-service's refusals passed back as problems.
 */
@ExtendWith(RunningStack.class)
class TasksE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void theAssistantDelegatesAndReportsTheResultInTheThread(ThreadClient thread) {
        String marker = "links-" + UUID.randomUUID().toString().substring(0, 8);
        try (SseClient stream = thread.stream(null)) {
            thread.post("Please delegate this. [[tool:mcp__tasks__spawn_tasks:{\"tasks\":[{\"title\":\"Count " + marker
                    + "\",\"prompt\":\"Count them. [[reply:There are 12 " + marker + ".]]\"}]}]]");
            // the turn that spawned it (the first to end naming it; an earlier test's report turn may end before)
            Frame spawned = stream.await(f -> f.event().equals("turn.completed") && f.field("text").contains(marker), WAIT);
            assertTrue(spawned.field("text").contains("Started:"), "the tool answered: " + spawned.field("text"));

            // the task may end before the turn that spawned it has: its entry may have come already
            Frame entry = stream.awaitAny(f -> f.event().equals("message.stored") && "SYSTEM".equals(f.field("role"))
                    && f.field("text").contains(marker), WAIT);
            assertTrue(entry.field("text").contains("succeeded:\nThere are 12 " + marker + "."), entry.field("text"));

            Frame report = stream.await(f -> f.event().equals("turn.completed")
                    && f.field("text").contains("There are 12 " + marker), WAIT);
            assertTrue(report.field("text").contains("[from mainloop, not the owner]"),
                    "the assistant was given the result to report: " + report.field("text"));
        }
        JsonNode tasks = thread.get("/api/thread/messages?limit=10");
        assertTrue(tasks.toString().contains("There are 12 " + marker), "the result is in the history");
    }

    @Test
    void aTaskRunsOnThroughAKillOfAgentServiceAndEndsOnce(LocalStack stack, ThreadClient thread) throws Exception {
        String marker = "survivor-" + UUID.randomUUID().toString().substring(0, 8);
        String id = thread.postJson("/api/tasks", "{\"title\":\"" + marker + "\",\"prompt\":\"[[slow:60]] "
                + (marker + " ").repeat(40) + "\"}").path("id").asText();
        awaitPhase(thread, id, "Running");
        stack.killService("agent-service"); // no shutdown: the task's CLI keeps writing its output file
        stack.startService("agent-service");
        JsonNode done = awaitPhase(thread, id, "Succeeded");
        assertTrue(done.path("result").asText().contains(marker), done.toString());
        assertEquals(1, done.path("attempt").asInt(), "followed again, not run again");
        try (TopicProbe kafka = new TopicProbe(stack.bootstrapServers())) {
            // published after the end is committed: it may arrive just after the phase shows
            kafka.await(Topics.TASK_EVENTS, v -> v.contains(id) && v.contains("\"task.finished\""), 1, WAIT);
            assertEquals(1, kafka.readAll(Topics.TASK_EVENTS, v -> v.contains(id) && v.contains("\"task.finished\""))
                    .stream().map(v -> v.substring(v.indexOf("eventId"), v.indexOf("eventId") + 50)).distinct().count(),
                    "one end");
        }
    }

    @Test
    void aTaskEndingWhilePostgresIsFrozenIsRecordedAndReportedOnce(LocalStack stack, ThreadClient thread) throws Exception {
        String marker = "frozen-" + UUID.randomUUID().toString().substring(0, 8);
        try (SseClient stream = thread.stream(null)) {
            // streams for about 30 s (120 pieces, 250 ms apart): it ends while the database is frozen
            String id = thread.postJson("/api/tasks", "{\"title\":\"" + marker + "\",\"prompt\":\"[[slow:250]] "
                    + (marker + " ").repeat(30) + "\"}").path("id").asText();
            awaitPhase(thread, id, "Running");
            // its start recorded (task.started is published after that commit): only the end meets the frozen database
            stream.await(f -> f.event().equals("task.started") && f.field("taskId").equals(id), WAIT);
            java.nio.file.Path output = stack.dataDir().resolve("workspaces").resolve("task-" + id).resolve(".mainloop")
                    .resolve("task").resolve("output.jsonl");
            java.nio.file.Path agentLog = stack.logDir().resolve("agent-service.log");
            stack.signalPostgres(true);
            try {
                assertFalse(java.nio.file.Files.exists(output)
                        && java.nio.file.Files.readString(output).contains("\"type\":\"result\""),
                        "the task ended before PostgreSQL was frozen: this test shows nothing");
                // the CLI ends while the database is frozen; agent-service says it keeps the end to record it
                awaitFile(output, text -> text.contains("\"type\":\"result\""));
                awaitFile(agentLog, text -> text.contains("task " + id + ": its end is not recorded yet"));
            } finally {
                stack.signalPostgres(false);
            }
            JsonNode done = awaitPhase(thread, id, "Succeeded");
            assertTrue(done.path("result").asText().contains(marker), done.toString());
            Frame report = stream.await(f -> f.event().equals("turn.completed") && f.field("text").contains(marker), WAIT);
            assertTrue(report.field("text").contains("[from mainloop, not the owner]"), report.field("text"));
        }
        JsonNode history = thread.get("/api/thread/messages?limit=50");
        long entries = 0;
        for (JsonNode m : history.path("messages")) {
            if ("SYSTEM".equals(m.path("role").asText()) && m.path("text").asText().contains(marker)) {
                entries++;
            }
        }
        assertEquals(1, entries, "the result is in the thread once: " + history);
    }

    @Test
    void theOwnerFollowsEndsAndClearsTheirTasksThroughTheGateway(ThreadClient thread) throws Exception {
        String marker = "owned-" + UUID.randomUUID().toString().substring(0, 8);
        try (SseClient stream = thread.stream(null)) {
            // a short task: it succeeds, its whole log can be read, and its result waits in the inbox until seen
            Reply counted = thread.call("POST", "/api/tasks", "{\"title\":\"Count " + marker
                    + "\",\"prompt\":\"Count them. [[reply:There are 7 " + marker + ".]]\"}");
            assertEquals(201, counted.status(), counted.body().toString());
            assertEquals("main", counted.body().path("threadId").asText());
            assertEquals("api", counted.body().path("source").asText());
            String done = counted.body().path("id").asText();
            assertTrue(thread.get("/api/tasks").toString().contains(done), "in the owner's list");
            awaitPhase(thread, done, "Succeeded");
            try (SseClient log = thread.events("/api/tasks/" + done + "/log")) {
                assertEquals(200, log.status());
                java.util.List<Frame> whole = log.until(f -> "end".equals(f.event()), WAIT);
                assertTrue(whole.stream().anyMatch(f -> "line".equals(f.event()) && f.data().contains("There are 7 " + marker)),
                        "the task's stream-json lines, then its end");
                assertEquals("Succeeded", whole.getLast().field("phase"));
            }
            thread.call("POST", "/api/tasks/" + done + "/retry", null).assertProblem(409,
                    "only a failed or cancelled task can be retried");
            assertTrue(thread.get("/api/inbox").toString().contains(done), "its result waits in the inbox");
            assertEquals(204, thread.call("POST", "/api/inbox/" + done + "/seen", null).status());
            assertFalse(thread.get("/api/inbox").toString().contains(done), "seen, it leaves the inbox");

            // a long one: its log arrives while it runs, then the owner cancels it
            Reply started = thread.call("POST", "/api/tasks", "{\"title\":\"Slow " + marker + "\",\"prompt\":\"[[slow:100]] "
                    + (marker + " ").repeat(80) + "\"}");
            assertEquals(201, started.status(), started.body().toString());
            String slow = started.body().path("id").asText();
            try {
                awaitPhase(thread, slow, "Running");
                try (SseClient log = thread.events("/api/tasks/" + slow + "/log")) {
                    log.await(f -> "line".equals(f.event()), WAIT);
                    assertEquals("Running", thread.get("/api/tasks/" + slow).path("phase").asText(), "live, while it runs");
                    Reply cancel = thread.call("POST", "/api/tasks/" + slow + "/cancel", null);
                    assertEquals(202, cancel.status(), cancel.body().toString());
                    assertEquals("Cancelled", log.await(f -> "end".equals(f.event()), WAIT).field("phase"));
                }
            } finally {
                thread.call("POST", "/api/tasks/" + slow + "/cancel", null); // a failed test leaves no task running (409 once ended)
            }
            thread.call("POST", "/api/tasks/" + slow + "/cancel", null).assertProblem(409, "has ended");
            thread.call("POST", "/api/tasks/" + slow + "/answer", "{\"text\":\"use main\"}").assertProblem(409,
                    "asks nothing now");
            String unknown = UUID.randomUUID().toString();
            thread.call("GET", "/api/tasks/" + unknown, null).assertProblem(404, "no task " + unknown);
            try (SseClient log = thread.events("/api/tasks/" + unknown + "/log")) {
                assertEquals(404, log.status(), "an unknown task's log");
            }
            thread.call("POST", "/api/tasks", "{\"title\":\"x\"}").assertProblem(400, "prompt");

            // both ends are reported into the thread by the assistant: wait for those turns
            for (String title : new String[] {"Count " + marker, "Slow " + marker}) {
                stream.awaitAny(f -> f.event().equals("turn.completed") && f.field("text").contains(title), WAIT);
            }
        }
    }

    /** Polls {@code file} until its text satisfies {@code condition} (an outcome, not a time). */
    private static void awaitFile(java.nio.file.Path file, java.util.function.Predicate<String> condition)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(file) && condition.test(java.nio.file.Files.readString(file))) {
                return;
            }
            Thread.sleep(200); // polling a file another process writes
        }
        throw new AssertionError(file + " never showed what was awaited");
    }

    private static JsonNode awaitPhase(ThreadClient thread, String id, String phase) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode task = null;
        while (System.nanoTime() < deadline) {
            task = thread.get("/api/tasks/" + id);
            if (task.path("phase").asText().equals(phase)) {
                return task;
            }
            Thread.sleep(100); // polling the task's phase
        }
        throw new AssertionError("task " + id + " never got " + phase + ": " + task);
    }
}
