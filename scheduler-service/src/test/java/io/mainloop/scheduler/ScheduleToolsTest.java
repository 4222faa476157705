package io.mainloop.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.ScheduleKind;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.scheduler.config.TimeSource;
import io.mainloop.scheduler.mcp.McpCaller;
import io.mainloop.scheduler.service.BuiltinSchedules;
import io.mainloop.support.mcp.McpTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The assistant's MCP tools: "remind me in 2 minutes" with the clock set two minutes back, so the
 * reminder is due now and fires for real at once; list and cancel; tokens and heartbeat turns refused.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class ScheduleToolsTest {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mainloop.scheduler.mcp.secret")
    String secret;

    final String thread = "mcp-" + UUID.randomUUID();

    /** A clock two minutes behind the real one: "in 2 minutes" is due right now. */
    static class TwoMinutesAgo extends TimeSource {
        @Override
        public Instant now() {
            return Instant.now().minus(Duration.ofMinutes(2));
        }

        @Override
        public ZoneId zone() {
            return ZoneId.of("Europe/Paris");
        }
    }

    @BeforeEach
    void clockTwoMinutesBack() {
        QuarkusMock.installMockForType(new TwoMinutesAgo(), TimeSource.class);
    }

    @Test
    void aReminderInTwoMinutesFiresIntoTheThreadWithoutWaiting() throws Exception {
        Instant asked = Instant.now();
        String session = initialize(thread);
        Response scheduled = call(session, thread, token(thread), Map.of(), "schedule",
                Map.of("prompt", "Remind the owner to stretch.", "in", "PT2M", "title", "Stretch"));
        scheduled.then().statusCode(200).body(containsString("Scheduled REMINDER")).body(containsString("Europe/Paris"));
        String id = firstId(scheduled.asString());
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            String record = kafka.await(Topics.SCHEDULE_FIRED, v -> v.contains(id), 1, Duration.ofSeconds(30)).getFirst();
            ScheduleFired fired = EventJson.mapper().readValue(record, ScheduleFired.class);
            assertEquals(thread, fired.threadId());
            assertEquals(ScheduleKind.REMINDER, fired.kind());
            assertEquals("Remind the owner to stretch.", fired.prompt());
            assertEquals("Stretch", fired.title());
            // due "in 2 minutes" by the assistant's clock, which is now by the real one
            assertTrue(Duration.between(asked, fired.scheduledFor()).abs().compareTo(Duration.ofSeconds(10)) < 0,
                    "scheduled for " + fired.scheduledFor() + ", asked at " + asked);
        }
        given().get("/api/schedules/{id}", id).then().body("createdBy", is("ASSISTANT")).body("threadId", is(thread))
                .body("timeZone", is("Europe/Paris"));
    }

    @Test
    void theAssistantListsAndCancelsItsThreadsSchedules() {
        String session = initialize(thread);
        Response weekly = call(session, thread, token(thread), Map.of(), "schedule",
                Map.of("prompt", "Plan the week with the owner.", "cron", "0 8 * * 1", "title", "Weekly plan"));
        weekly.then().body(containsString("Scheduled PROMPT")).body(containsString("cron '0 8 * * 1'"));
        String weeklyId = firstId(weekly.asString());
        Response tomorrow = call(session, thread, token(thread), Map.of(), "schedule",
                Map.of("prompt", "Ask how the interview went.", "at", "2099-01-02T09:00", "timeZone", "Europe/Paris"));
        tomorrow.then().body(containsString("once at 2099-01-02T09:00 Europe/Paris"));
        String tomorrowId = firstId(tomorrow.asString());
        given().get("/api/schedules/{id}", tomorrowId).then().body("runAt", is("2099-01-02T08:00:00Z"));

        call(session, thread, token(thread), Map.of(), "list_schedules", Map.of()).then()
                .body(containsString(weeklyId)).body(containsString("Weekly plan")).body(containsString(tomorrowId))
                .body(not(containsString(BuiltinSchedules.HEARTBEAT_ID.toString())));

        // another thread cannot cancel it, nor see it
        String other = "other-" + UUID.randomUUID();
        call(session, other, token(other), Map.of(), "cancel_schedule", Map.of("id", weeklyId)).then()
                .body(containsString("no schedule"));
        call(session, other, token(other), Map.of(), "list_schedules", Map.of()).then()
                .body(containsString("No schedules."));

        call(session, thread, token(thread), Map.of(), "cancel_schedule", Map.of("id", weeklyId)).then()
                .body(containsString("Cancelled PROMPT " + weeklyId));
        given().get("/api/schedules/{id}", weeklyId).then().statusCode(404);
        call(session, thread, token(thread), Map.of(), "list_schedules", Map.of()).then()
                .body(not(containsString(weeklyId))).body(containsString(tomorrowId));
        // the heartbeat is nobody's to cancel
        call(session, "main", token("main"), Map.of(), "cancel_schedule",
                Map.of("id", BuiltinSchedules.HEARTBEAT_ID.toString())).then().body(containsString("built in"));
        given().delete("/api/schedules/{id}", tomorrowId).then().statusCode(204);
    }

    @Test
    void badTokensHeartbeatsAndBadArgumentsAreRefused() {
        String session = initialize(thread);
        Map<String, Object> remind = Map.of("prompt", "Remind me.", "in", "PT1H");
        call(session, thread, token("someone-else"), Map.of(), "schedule", remind).then()
                .body(containsString("not allowed")).body(not(containsString("Scheduled")));
        call(session, thread, "forged", Map.of(), "list_schedules", Map.of()).then().body(containsString("not allowed"));
        // a heartbeat turn schedules nothing; nor can anyone make a HEARTBEAT
        call(session, thread, token(thread), Map.of(McpCaller.TURN_KIND_HEADER, "HEARTBEAT"), "schedule", remind).then()
                .body(containsString("heartbeat turn cannot schedule")).body(not(containsString("Scheduled")));
        Map<String, Object> heartbeat = new HashMap<>(remind);
        heartbeat.put("kind", "HEARTBEAT");
        call(session, thread, token(thread), Map.of(), "schedule", heartbeat).then()
                .body(containsString("HEARTBEAT cannot be created"));
        call(session, thread, token(thread), Map.of(), "schedule", Map.of("prompt", "Remind me.")).then()
                .body(containsString("exactly one of 'in'"));
        call(session, thread, token(thread), Map.of(), "schedule", Map.of("prompt", "Remind me.", "in", "two minutes"))
                .then().body(containsString("not an ISO-8601 duration"));
        call(session, thread, token(thread), Map.of(), "schedule", Map.of("prompt", "Remind me.", "at", "2001-01-01T00:00:00Z"))
                .then().body(containsString("not in the future"));
        call(session, thread, token(thread), Map.of(), "cancel_schedule", Map.of("id", "nope")).then()
                .body(containsString("not a schedule id"));
        given().get("/api/schedules?threadId={t}", thread).then().body("schedules.size()", is(0));
    }

    @Test
    void theServerOffersNoStreamOfItsOwnAndItsToolsStillAnswer() {
        String session = initialize(thread);
        // a CLI asks for the server-to-client stream after initializing; it would hold the request open for its life
        given().config(io.restassured.RestAssured.config().httpClient(io.restassured.config.HttpClientConfig
                        .httpClientConfig().setParam("http.socket.timeout", 10_000))) // an open stream fails, not hangs
                .accept("text/event-stream").header("Mcp-Session-Id", session)
                .header(McpTokens.THREAD_HEADER, thread).header("Authorization", "Bearer " + token(thread))
                .get("/mcp").then().statusCode(405).header("Allow", containsString("POST"))
                .contentType("application/problem+json").body("status", is(405)).body("title", is("Method Not Allowed"));
        call(session, thread, token(thread), Map.of(), "list_schedules", Map.of()).then().statusCode(200)
                .body(not(containsString("not allowed")));
    }

    private String token(String threadId) {
        return McpTokens.token(secret, threadId);
    }

    private static String firstId(String text) {
        Matcher m = ID.matcher(text);
        assertTrue(m.find(), "no id in " + text);
        return m.group();
    }

    private String initialize(String threadId) {
        return given().contentType("application/json").accept("application/json, text/event-stream")
                .header(McpTokens.THREAD_HEADER, threadId).header("Authorization", "Bearer " + token(threadId))
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                        "protocolVersion", "2025-03-26", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "test", "version", "1"))))
                .post("/mcp").then().statusCode(200).extract().header("Mcp-Session-Id");
    }

    private static Response call(String session, String threadId, String token, Map<String, String> headers, String tool,
                                 Map<String, Object> args) {
        return given().contentType("application/json").accept("application/json, text/event-stream")
                .header("Mcp-Session-Id", session).headers(headers)
                .header(McpTokens.THREAD_HEADER, threadId).header("Authorization", "Bearer " + token)
                .body(Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call",
                        "params", Map.of("name", tool, "arguments", args)))
                .post("/mcp");
    }
}
