package io.mainloop.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.ScheduleKind;
import io.mainloop.contracts.ScheduleTarget;
import io.mainloop.contracts.TaskEvent;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.launcher.LocalStack;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.e2e.support.HistorySeed;
import io.mainloop.e2e.support.RunningStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a heartbeat costs (issue 12's target: at most 2,000 input tokens), with the whole stack and
 * the real Claude Code CLI against the stand-in API: a thread with one year of history (100,000
 * messages by default, {@code -Dbench.messages}; the heartbeat's light context reads none of it),
 * both core blocks written, a HEARTBEAT.md checklist, two task questions and three running tasks;
 * then 5 heartbeats in a row. Prints memory-service's estimate of the light context and the input
 * tokens the CLI reported (the stand-in counts 4 characters a token over the whole request, Claude
 * Code's own part included). Runs only with {@code ./mvnw -Pbench verify}.
 */
@Tag("bench")
@ExtendWith(RunningStack.class)
class HeartbeatBench {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int BEATS = 5;
    private static final int TARGET_INPUT_TOKENS = 2000;

    @Test
    void aHeartbeatsInputTokensForAYearOfHistory(LocalStack stack) throws Exception {
        int count = Integer.getInteger("bench.messages", 100_000);
        String thread = "bench-heartbeat-" + UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(stack.jdbcUrl(), "postgres", stack.jdbcPassword())) {
            HistorySeed.year(db, thread, count);
        }
        String memory = "http://127.0.0.1:" + stack.port("memory-service") + "/api/threads/" + thread;
        put(stack, memory + "/core-blocks/persona", Map.of("text", "Direct, brief, no filler. Says when unsure. "
                .repeat(8)));
        put(stack, memory + "/core-blocks/owner", Map.of("text", "Runs a small software company; works from Lisbon; "
                + "prefers mornings for deep work. ".repeat(6)));
        put(stack, memory + "/heartbeat", Map.of("checklist", """
                - Did the nightly backup run? Say so only if it did not.
                - Any task waiting for my answer for more than a day?
                - Anything due today in my notes?
                [[reply:HEARTBEAT_OK]]"""));
        try (TopicProbe kafka = new TopicProbe(stack.bootstrapServers())) {
            for (int i = 0; i < 2; i++) {
                kafka.send(Topics.TASK_EVENTS, thread, JSON.writeValueAsString(new TaskEvent.TaskNeedsInput(UUID.randomUUID(),
                        Instant.now(), TaskEvent.SCHEMA_VERSION, thread, UUID.randomUUID(), "Migrate service " + i,
                        "Shall I also drop the old table of service " + i + " once the copy is verified?")));
            }
            for (int i = 0; i < 3; i++) {
                kafka.send(Topics.TASK_EVENTS, thread, JSON.writeValueAsString(new TaskEvent.TaskStarted(UUID.randomUUID(),
                        Instant.now(), TaskEvent.SCHEMA_VERSION, thread, UUID.randomUUID(), "Review pull request " + i, 1)));
            }
            List<Long> estimated = new ArrayList<>();
            List<Long> reported = new ArrayList<>();
            for (int i = 0; i < BEATS; i++) {
                ScheduleFired beat = ScheduleFired.of(thread, UUID.randomUUID(), ScheduleKind.HEARTBEAT, "Heartbeat",
                        "Check on things.", "haiku", ScheduleTarget.THREAD, Instant.now(), Instant.now());
                kafka.send(Topics.SCHEDULE_FIRED, thread, JSON.writeValueAsString(beat));
                JsonNode run = awaitEnded(stack, memory, beat.firingId());
                estimated.add(run.path("contextTokens").asLong());
                reported.add(run.path("inputTokens").asLong());
                if (i == 0) {
                    System.out.println("first beat: " + run);
                }
            }
            Collections.sort(estimated);
            Collections.sort(reported);
            System.out.println();
            System.out.printf("| heartbeat, thread with one year of history (%,d messages), %d beats | median | max | target |%n",
                    count, BEATS);
            System.out.println("|---|---|---|---|");
            System.out.printf("| light context, memory-service's estimate, tokens | %d | %d | |%n",
                    estimated.get(BEATS / 2), estimated.getLast());
            System.out.printf("| input tokens the CLI reported (stand-in count) | %d | %d | <= %d |%n",
                    reported.get(BEATS / 2), reported.getLast(), TARGET_INPUT_TOKENS);
            System.out.println();
        }
    }

    private static void put(LocalStack stack, String url, Map<String, String> body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + stack.internalApiToken())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(url + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Polls the heartbeat's usage until the firing's run has ended (its reply recorded). */
    private static JsonNode awaitEnded(LocalStack stack, String memory, UUID firingId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(memory + "/heartbeat/runs?limit=20")).header("Authorization", "Bearer " + stack.internalApiToken())
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode run : JSON.readTree(response.body()).path("runs")) {
                if (run.path("id").asText().equals(firingId.toString())) {
                    last = run;
                    String outcome = run.path("outcome").asText();
                    if (outcome.equals("SILENT") || outcome.equals("POSTED")) {
                        return run;
                    }
                    if (!outcome.equals("RUNNING")) {
                        throw new AssertionError("the heartbeat did not call the model: " + run);
                    }
                }
            }
            Thread.sleep(200); // polling the run's outcome
        }
        throw new AssertionError("heartbeat " + firingId + " did not end: " + last);
    }
}
