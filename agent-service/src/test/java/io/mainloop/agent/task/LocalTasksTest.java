package io.mainloop.agent.task;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.agent.launcher.LocalTaskLauncher;
import io.mainloop.agent.launcher.TaskWorkspace;
import io.mainloop.agent.service.Workspaces;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.Usage;
import io.mainloop.devstack.testing.ClaudeStandInTestResource;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Sub-agent tasks in local mode with the real Claude Code CLI against the stand-in API, through
 * the REST API and Kafka: ten at once under a limit of four, cancel, deadline, an API failure, a
 * question answered and resumed in the same session, the inbox.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = ClaudeStandInTestResource.class, parallel = true)
class LocalTasksTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    TaskService tasks;

    @Inject
    TaskRepository repository;

    final String thread = "tasks-" + UUID.randomUUID();

    @Test
    void tenTasksRunFourAtATimeAndAllReportTheirResults() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(given().contentType("application/json")
                    .body(Map.of("title", "Task " + i, "prompt", "Say it. [[reply:result " + i + "]]"))
                    .post("/api/threads/{t}/tasks", thread).then().statusCode(201).extract().path("id"));
        }
        int mostRunning = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<TaskEntity> all = QuarkusTransaction.requiringNew().call(() -> repository.ofThread(thread, 100));
            mostRunning = Math.max(mostRunning, (int) all.stream().filter(t -> t.phase == TaskPhase.Running).count());
            if (all.stream().allMatch(t -> t.phase.finished())) {
                break;
            }
            pause();
        }
        assertTrue(mostRunning <= 4, "at most 4 at once, saw " + mostRunning);
        for (int i = 0; i < 10; i++) {
            given().get("/api/threads/{t}/tasks/{id}", thread, ids.get(i)).then().statusCode(200)
                    .body("phase", is("Succeeded")).body("result", is("result " + i)).body("attempt", is(1));
        }
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            List<String> finished = kafka.await(Topics.TASK_EVENTS,
                    v -> v.contains(thread) && v.contains("\"task.finished\""), 10, WAIT);
            // at-least-once: a record may come twice (a resend races the mark that it was sent), with the same event id
            long distinct = finished.stream().map(v -> v.replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1")).distinct().count();
            assertEquals(10, distinct, "one task.finished per task: " + finished);
        }
        given().get("/api/threads/{t}/inbox", thread).then().statusCode(200).body("items.size()", is(10))
                .body("items[0].kind", is("result"));
        given().post("/api/threads/{t}/inbox/{id}/seen", thread, ids.get(0)).then().statusCode(204);
        given().get("/api/threads/{t}/inbox", thread).then().body("items.size()", is(9));
    }

    @Test
    void aRunningTaskIsCancelledAndATimedOutOneFails() {
        String slow = given().contentType("application/json")
                .body(Map.of("title", "Slow", "prompt", "[[slow:300]] " + "word ".repeat(200)))
                .post("/api/threads/{t}/tasks", thread).then().statusCode(201).extract().path("id");
        await(slow, t -> t.phase == TaskPhase.Running && t.pid != null);
        long pid = get(slow).pid;
        given().post("/api/threads/{t}/tasks/{id}/cancel", thread, slow).then().statusCode(202);
        await(slow, t -> t.phase == TaskPhase.Cancelled);
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "its CLI is gone");
        given().post("/api/threads/{t}/tasks/{id}/cancel", thread, slow).then().statusCode(409);

        TaskEntity late = tasks.create(thread, new TaskSpec("Late", "[[slow:300]] " + "word ".repeat(200), null, null,
                null, null, null, null, Duration.ofSeconds(5), null), "api");
        TaskEntity failed = await(late.id.toString(), t -> t.phase.finished());
        assertEquals(TaskPhase.Failed, failed.phase);
        assertTrue(failed.error.contains("deadline"), failed.error);

        given().post("/api/threads/{t}/tasks/{id}/retry", thread, slow).then().statusCode(202).body("phase",
                org.hamcrest.Matchers.oneOf("Pending", "Running"));
        given().post("/api/threads/{t}/tasks/{id}/cancel", thread, slow).then().statusCode(202);
    }

    @Test
    void anApiErrorFailsTheTaskVisiblyAndBadRequestsAreRefused() {
        String id = given().contentType("application/json").body(Map.of("prompt", "[[error:529]]"))
                .post("/api/threads/{t}/tasks", thread).then().statusCode(201).extract().path("id");
        TaskEntity task = await(id, t -> t.phase.finished());
        assertEquals(TaskPhase.Failed, task.phase);
        given().get("/api/threads/{t}/inbox", thread).then().body("items.find { it.taskId == '" + id + "' }.kind",
                is("failed"));
        given().contentType("application/json").body(Map.of("prompt", " ")).post("/api/threads/{t}/tasks", thread)
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("prompt", "x", "profile", "huge"))
                .post("/api/threads/{t}/tasks", thread).then().statusCode(400).body("detail", containsString("profile"));
        given().contentType("application/json").body(Map.of("prompt", "x", "maxBudgetUsd", new BigDecimal("0")))
                .post("/api/threads/{t}/tasks", thread).then().statusCode(400);
        given().get("/api/threads/{t}/tasks/{id}", thread, UUID.randomUUID()).then().statusCode(404);
        given().get("/api/threads/{t}/tasks/{id}", "another-thread", id).then().statusCode(404);
    }

    @Test
    void aQuestionGoesToTheInboxAndTheAnswerResumesTheSameSession() {
        String id = given().contentType("application/json").body(Map.of("title", "Paint", "prompt",
                        "Paint the fence. [[tool:mcp__tasks__ask_owner:{\"question\":\"Which colour?\"}]]"))
                .post("/api/threads/{t}/tasks", thread).then().statusCode(201).extract().path("id");
        TaskEntity asking = await(id, t -> t.phase == TaskPhase.NeedsInput || t.phase.finished());
        assertEquals(TaskPhase.NeedsInput, asking.phase, "error: " + asking.error);
        assertEquals("Which colour?", asking.question);
        UUID session = asking.sessionId;
        given().get("/api/threads/{t}/inbox", thread).then()
                .body("items.find { it.taskId == '" + id + "' }.kind", is("question"))
                .body("items.find { it.taskId == '" + id + "' }.text", is("Which colour?"));

        given().contentType("application/json").body(Map.of("text", "Dark green."))
                .post("/api/threads/{t}/tasks/{id}/answer", thread, id).then().statusCode(202);
        TaskEntity done = await(id, t -> t.phase.finished());
        assertEquals(TaskPhase.Succeeded, done.phase, "error: " + done.error);
        assertTrue(done.result.contains("Dark green."), "the resumed session got the answer: " + done.result);
        assertEquals(session, done.sessionId, "the same Claude Code session");
        assertEquals(2, done.attempt);
    }

    @Test
    void anAnswerGivenBeforeTheAskingRunHasEndedIsNotLost() {
        // the owner answers while the CLI that asked is still ending its turn, and the task waits for a
        // slot (all busy, or not claimed yet): that run's end must not end the task with its own words
        TaskEntity asking = tasks.insertAdopted("answer-race-" + UUID.randomUUID(), thread, new TaskSpec("Paint",
                "Paint the fence.", null, null, null, null, null, null, null, null)); // Running, attempt 1
        tasks.needsInput(asking.id, 1, "Which colour?");
        tasks.recordAnswer(thread, asking.id, "Dark green."); // answered: Pending until a slot takes it
        tasks.finished(asking.id, 1, TaskPhase.Succeeded, "Your question is with the owner.", null,
                Usage.NONE, null, 5);
        TaskEntity done = await(asking.id.toString(), t -> t.phase.finished());
        assertEquals(TaskPhase.Succeeded, done.phase, "error: " + done.error);
        assertEquals(2, done.attempt, "run again for the answer (what the resumed session gets: the test above)");
        assertEquals(asking.sessionId, done.sessionId, "in the session that asked");
        assertFalse(String.valueOf(done.result).contains("with the owner"), "not the asking run's words: " + done.result);
    }

    @Test
    void cancellingATaskThatAskedAlsoStopsTheCliStillEndingItsTurn() throws Exception {
        TaskEntity asking = tasks.insertAdopted("cancel-asking-" + UUID.randomUUID(), thread, new TaskSpec("Paint",
                "Paint the fence.", null, null, null, null, null, null, null, null)); // Running, attempt 1
        // the run that asked, still ending its turn: a process group named by the task's session, as its CLI is
        Process cli = new ProcessBuilder("setsid", "sh", "-c", "sleep 300; :", asking.sessionId.toString()).start();
        try {
            tasks.started(asking.id, 1, cli.pid());
            tasks.needsInput(asking.id, 1, "Which colour?");
            assertTrue(cli.isAlive(), "the asking run is still there before the cancel");
            given().post("/api/threads/{t}/tasks/{id}/cancel", thread, asking.id).then().statusCode(202)
                    .body("phase", is("Cancelled"));
            assertTrue(cli.waitFor(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), "the asking run is stopped");
            TaskEntity cancelled = get(asking.id.toString());
            assertEquals(TaskPhase.Cancelled, cancelled.phase);
            assertEquals(1, cancelled.attempt, "ended once, not run again");
        } finally {
            cli.descendants().forEach(ProcessHandle::destroyForcibly);
            cli.destroyForcibly();
        }
    }

    @Inject
    LocalTaskLauncher launcher;

    @Inject
    Workspaces workspaces;

    @Test
    void aTaskWhoseCliNeverStartedBeforeARestartRunsFromTheBeginning() throws Exception {
        // claimed (Running, attempt 1, its attempt noted in its output) when agent-service died, before its CLI started
        TaskEntity claimed = tasks.insertAdopted("never-started-" + UUID.randomUUID(), thread, new TaskSpec("Count",
                "[[reply:counted from the start]]", null, null, null, null, null, null, null, null));
        Path output = TaskWorkspace.of(workspaces.of(TaskWorkspace.name(claimed.id))).output();
        Files.writeString(output, "{\"mainloop\":\"attempt\",\"attempt\":1}\n");

        launcher.reattach(claimed); // as after the restart: no CLI runs, its session was never made

        TaskEntity done = await(claimed.id.toString(), t -> t.phase == TaskPhase.Succeeded || t.phase == TaskPhase.Failed);
        assertEquals(TaskPhase.Succeeded, done.phase, "not resumed into a session that does not exist: " + done.error);
        assertTrue(done.result.contains("counted from the start"), done.result);
    }

    @Test
    void replicasClaimingAtTheSameTimeNeverRunMoreThanTheLimit() throws Exception {
        // eight waiting tasks, claimed by two callers at once as two agent-service replicas would
        // (each outside the other's in-process lock; only the database orders them)
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(tasks.insert(thread, new TaskSpec("Claim " + i, "[[reply:claimed]]", null, null, null, null, null,
                    null, null, null), "api", null).id);
        }
        var barrier = new java.util.concurrent.CyclicBarrier(2);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Callable<Integer> claim = () -> {
                barrier.await();
                return tasks.claimSlots().size();
            };
            var first = pool.submit(claim);
            var second = pool.submit(claim);
            int claimed = first.get() + second.get();
            long running = QuarkusTransaction.requiringNew().call(() -> repository.running());
            // the service's own dispatcher may have claimed the free slots first: then the callers got none
            assertTrue(claimed >= 1 || running >= 1, "the waiting tasks got free slots");
            assertTrue(running <= 4, running + " tasks Running at once under a limit of 4 (claimed " + claimed + ")");
        } finally {
            pool.shutdownNow();
            ids.forEach(id -> tasks.cancel(thread, id));
        }
    }

    /** Between two polls of the task table (polling an outcome, not waiting for a time). */
    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private TaskEntity get(String id) {
        return QuarkusTransaction.requiringNew().call(() -> repository.findById(UUID.fromString(id)));
    }

    private TaskEntity await(String id, Predicate<TaskEntity> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        TaskEntity task = null;
        while (System.nanoTime() < deadline) {
            task = get(id);
            if (task != null && condition.test(task)) {
                return task;
            }
            pause();
        }
        throw new AssertionError("task " + id + " did not get there in time: " + (task == null ? null : task.phase));
    }
}
