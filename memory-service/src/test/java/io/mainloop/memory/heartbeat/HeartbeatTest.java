package io.mainloop.memory.heartbeat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.MessageAccepted;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.ScheduleKind;
import io.mainloop.contracts.ScheduleTarget;
import io.mainloop.contracts.TaskEvent;
import io.mainloop.contracts.TaskPhase;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnKind;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.contracts.Usage;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.memory.config.TimeSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats and scheduled prompts in memory-service, against real Kafka and PostgreSQL: the
 * guardrails (nothing to look at, a turn running, the daily budget), the light context, a silent
 * {@code HEARTBEAT_OK}, a posted and proactive reply, and a scheduled prompt's turn; each firing
 * handled once.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class HeartbeatTest {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    TopicProbe kafka;
    String thread;

    @BeforeEach
    void probe() {
        kafka = new TopicProbe(bootstrap);
        thread = "beat-" + UUID.randomUUID();
        // the owner's days (and so the daily budget) are counted in a zone where it is about noon now:
        // midnight, which starts a new day of beats, cannot pass during a test, whenever it runs
        ZoneOffset noon = ZoneOffset.ofTotalSeconds(12 * 3600 - LocalTime.now(ZoneOffset.UTC).toSecondOfDay());
        QuarkusMock.installMockForType(new TimeSource() {
            @Override
            public ZoneId zone() {
                return noon;
            }
        }, TimeSource.class);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void anEmptyChecklistWithNothingNewIsSkippedWithoutAModelCall() throws Exception {
        ScheduleFired beat = heartbeat();
        fire(beat);
        JsonPath run = awaitRun(beat.firingId(), "SKIPPED");
        assertTrue(run.getString("reason").contains("nothing to look at"), run.prettify());
        assertEquals(0, kafka.readAll(Topics.AGENT_TURNS, v -> v.contains(thread)).size(), "no model call");
        given().get("/api/threads/{t}/heartbeat/runs", thread).then().body("today.beats", is(1)).body("today.modelCalls", is(0));
    }

    @Test
    void aChecklistGivesALightTurnAndHeartbeatOkStaysSilentButCounted() throws Exception {
        putChecklist("- Is the nightly backup older than a day?");
        ScheduleFired beat = heartbeat();
        fire(beat);
        fire(beat); // redelivered: handled once
        TurnRequested turn = turn(1).getFirst();
        assertEquals(TurnKind.HEARTBEAT, turn.kind());
        assertEquals("haiku", turn.model());
        assertEquals(List.of(), turn.context(), "no history: a light context");
        assertEquals(List.of(), turn.replyTo());
        assertTrue(turn.prompt().contains("nightly backup"), turn.prompt());
        assertTrue(turn.systemPrompt().contains("HEARTBEAT_OK"), turn.systemPrompt());
        assertTrue(turn.contextTokens() < 2000, "light: " + turn.contextTokens() + " tokens");

        completed(turn, "  HEARTBEAT_OK\n", new Usage(900, 4, 0, 0), "0.0011");
        JsonPath run = awaitRun(beat.firingId(), "SILENT");
        assertEquals(904, run.getLong("inputTokens") + run.getLong("outputTokens"));
        given().get("/api/threads/{t}/messages", thread).then().body("messages", hasSize(0));
        assertEquals(0, kafka.readAll(Topics.CONVERSATION_EVENTS, v -> v.contains(thread)).size(), "nothing shown or pushed");
        given().get("/api/threads/{t}/heartbeat/runs", thread).then()
                .body("today.modelCalls", is(1)).body("today.inputTokens", is(900)).body("today.costUsd", is(0.0011f));
    }

    @Test
    void anotherReplyIsPostedAsAProactiveMessage() throws Exception {
        putChecklist("- Any failed tasks?");
        ScheduleFired beat = heartbeat();
        fire(beat);
        TurnRequested turn = turn(1).getFirst();
        completed(turn, "The nightly backup has not run since Tuesday.", new Usage(800, 12, 0, 0), "0.0009");
        JsonNode stored = awaitEvents(Topics.CONVERSATION_EVENTS, 1).getFirst();
        assertEquals("ASSISTANT", stored.path("role").asText());
        assertTrue(stored.path("proactive").asBoolean(), stored.toString());
        assertEquals("HEARTBEAT", stored.path("turnKind").asText());
        awaitRun(beat.firingId(), "POSTED");
        given().get("/api/threads/{t}/messages", thread).then()
                .body("messages", hasSize(1)).body("messages[0].proactive", is(true)).body("messages[0].turnKind", is("HEARTBEAT"));
    }

    @Test
    void aHeartbeatIsSkippedWhileAnOwnersTurnRuns() throws Exception {
        putChecklist("- anything");
        kafka.send(Topics.CONVERSATION_INBOUND, thread, JSON.writeValueAsString(
                MessageAccepted.of(thread, UUID.randomUUID(), "c-1", "Plan my week")));
        TurnRequested chat = turn(1).getFirst();
        assertEquals(TurnKind.CHAT, chat.kind());
        ScheduleFired beat = heartbeat();
        fire(beat);
        JsonPath run = awaitRun(beat.firingId(), "BUSY");
        assertTrue(run.getString("reason").contains("turn"), run.prettify());
        assertEquals(1, kafka.readAll(Topics.AGENT_TURNS, v -> v.contains(thread)).size(), "skipped, not queued");
    }

    @Test
    void aTaskThatChangedWakesTheHeartbeatEvenWithAnEmptyChecklist() throws Exception {
        // a question of a task: an entry in the thread (the inbox holds it), no turn of its own
        kafka.send(Topics.TASK_EVENTS, thread, JSON.writeValueAsString(new TaskEvent.TaskNeedsInput(UUID.randomUUID(),
                Instant.now(), TaskEvent.SCHEMA_VERSION, thread, UUID.randomUUID(), "Renew the certificate",
                "Use the staging DNS zone?")));
        awaitEvents(Topics.CONVERSATION_EVENTS, 1);
        ScheduleFired beat = heartbeat();
        fire(beat);
        TurnRequested turn = turn(1).getFirst();
        assertEquals(TurnKind.HEARTBEAT, turn.kind());
        assertTrue(turn.prompt().contains("task \"Renew the certificate\" asks: Use the staging DNS zone?"), turn.prompt());
        assertTrue(turn.prompt().contains("\"Renew the certificate\": NeedsInput"), turn.prompt());

        // nothing changed since that beat and the checklist is empty: the next beat is skipped
        completed(turn, "HEARTBEAT_OK", new Usage(500, 4, 0, 0), "0.0005");
        awaitRun(beat.firingId(), "SILENT");
        ScheduleFired next = heartbeat();
        fire(next);
        awaitRun(next.firingId(), "SKIPPED");
    }

    @Test
    void theDailyBudgetStopsHeartbeatsWithOneVisibleNotice() throws Exception {
        putChecklist("- check");
        ScheduleFired first = heartbeat();
        fire(first);
        completed(turn(1).getFirst(), "HEARTBEAT_OK", new Usage(100_000, 10, 0, 0), "0.10");
        awaitRun(first.firingId(), "SILENT");

        ScheduleFired second = heartbeat();
        fire(second);
        awaitRun(second.firingId(), "BUDGET_SPENT");
        ScheduleFired third = heartbeat();
        fire(third);
        awaitRun(third.firingId(), "BUDGET_SPENT");
        assertEquals(1, kafka.readAll(Topics.AGENT_TURNS, v -> v.contains(thread)).size(), "no model call once spent");
        List<JsonNode> notices = awaitEvents(Topics.CONVERSATION_EVENTS, 1);
        assertTrue(notices.getFirst().path("text").asText().contains("paused until tomorrow"), notices.toString());
        given().get("/api/threads/{t}/messages", thread).then().body("messages", hasSize(1));
    }

    @Test
    void aScheduledPromptRunsOnceAsAScheduledTurnWithItsModel() throws Exception {
        ScheduleFired fired = ScheduleFired.of(thread, UUID.randomUUID(), ScheduleKind.PROMPT, "Weekly plan",
                "Plan my week.", "sonnet", ScheduleTarget.THREAD, Instant.now(), Instant.now());
        fire(fired);
        fire(fired); // redelivered
        TurnRequested turn = turn(1).getFirst();
        assertEquals(TurnKind.SCHEDULED, turn.kind());
        assertEquals("sonnet", turn.model());
        assertTrue(turn.prompt().contains("Plan my week."), turn.prompt());
        completed(turn, "Monday: the review. Tuesday: the release.", new Usage(3000, 40, 0, 0), "0.01");
        List<JsonNode> stored = awaitEvents(Topics.CONVERSATION_EVENTS, 2);
        assertEquals("SCHEDULED", stored.get(0).path("turnKind").asText());
        assertEquals("SCHEDULED", stored.get(1).path("turnKind").asText());
        assertTrue(stored.get(1).path("proactive").asBoolean());
        given().get("/api/threads/{t}/messages", thread).then().body("messages", hasSize(2))
                .body("messages[0].text", is("Scheduled prompt \"Weekly plan\": Plan my week."))
                .body("messages[0].turnKind", is("SCHEDULED"));
        assertEquals(1, kafka.readAll(Topics.AGENT_TURNS, v -> v.contains(thread)).size(), "one turn per firing");
    }

    @Test
    void theChecklistIsReadAndWrittenWithinItsCap() {
        given().get("/api/threads/{t}/heartbeat", thread).then().statusCode(200).body("checklist", is(""));
        putChecklist("- water the plants");
        given().get("/api/threads/{t}/heartbeat", thread).then().body("checklist", is("- water the plants"));
        given().contentType("application/json").body(Map.of("checklist", "x".repeat(8001)))
                .put("/api/threads/{t}/heartbeat", thread).then().statusCode(413)
                .contentType("application/problem+json");
        given().contentType("application/json").body("{}").put("/api/threads/{t}/heartbeat", thread).then().statusCode(400);
        assertNull(given().get("/api/threads/{t}/heartbeat/runs?limit=0", thread).then().statusCode(400)
                .extract().path("runs"));
    }

    // --- helpers ---

    private ScheduleFired heartbeat() {
        return ScheduleFired.of(thread, UUID.randomUUID(), ScheduleKind.HEARTBEAT, "Heartbeat", "Check on things.",
                "haiku", ScheduleTarget.THREAD, Instant.now(), Instant.now());
    }

    private void putChecklist(String text) {
        given().contentType("application/json").body(Map.of("checklist", text))
                .put("/api/threads/{t}/heartbeat", thread).then().statusCode(200);
    }

    private void fire(ScheduleFired fired) throws Exception {
        kafka.send(Topics.SCHEDULE_FIRED, thread, JSON.writeValueAsString(fired));
    }

    private void completed(TurnRequested turn, String text, Usage usage, String cost) throws Exception {
        kafka.send(Topics.AGENT_EVENTS, thread, JSON.writeValueAsString(new AgentEvent.TurnCompleted(UUID.randomUUID(),
                Instant.now(), 1, thread, turn.turnId(), text, usage, new BigDecimal(cost), 700, 1)));
    }

    private List<TurnRequested> turn(int count) {
        return awaitEvents(Topics.AGENT_TURNS, count).stream().map(n -> {
            try {
                return JSON.treeToValue(n, TurnRequested.class);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private List<JsonNode> awaitEvents(String topic, int count) {
        return kafka.await(topic, v -> v.contains(thread), count, WAIT).stream().map(v -> {
            try {
                return JSON.readTree(v);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** Polls the usage view until the firing's run has {@code outcome} (an outcome, not a time). */
    private JsonPath awaitRun(UUID firingId, String outcome) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            JsonPath runs = given().get("/api/threads/{t}/heartbeat/runs", thread).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> all = runs.getList("runs");
            for (int i = 0; i < all.size(); i++) {
                if (firingId.toString().equals(all.get(i).get("id"))) {
                    last = String.valueOf(all.get(i).get("outcome"));
                    if (outcome.equals(last)) {
                        return runs.setRootPath("runs[" + i + "]");
                    }
                }
            }
            Thread.sleep(100); // polling the run's outcome
        }
        throw new AssertionError("heartbeat " + firingId + " never got " + outcome + " (last: " + last + ")");
    }
}
