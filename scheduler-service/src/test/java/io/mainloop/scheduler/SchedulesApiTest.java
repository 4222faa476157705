package io.mainloop.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.ScheduleKind;
import io.mainloop.contracts.ScheduleTarget;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.scheduler.service.BuiltinSchedules;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The owner's schedule API: CRUD, validation problems, the read-only heartbeat, and "run now". */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class SchedulesApiTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theOwnerCreatesReadsReplacesAndDeletesASchedule() {
        Response created = given().contentType("application/json")
                .body(Map.of("prompt", "Plan my week.", "cron", "0 8 * * 1", "timeZone", "Europe/Paris", "model", "sonnet",
                        "activeHoursStart", "07:00", "activeHoursEnd", "09:00"))
                .post("/api/schedules");
        created.then().statusCode(201).body("kind", is("PROMPT")).body("cron", is("0 8 * * 1"))
                .body("title", is("Plan my week.")).body("timeZone", is("Europe/Paris")).body("enabled", is(true))
                .body("threadId", is("main")).body("target", is("THREAD")).body("createdBy", is("OWNER"))
                .body("builtIn", is(false)).body("activeHoursStart", is("07:00")).body("runAt", nullValue());
        String id = created.path("id");
        created.then().header("Location", endsWith("/api/schedules/" + id));
        ZonedDateTime next = Instant.parse(created.path("nextFireAt")).atZone(ZoneId.of("Europe/Paris"));
        assertEquals(DayOfWeek.MONDAY, next.getDayOfWeek());
        assertEquals(8, next.getHour());

        given().get("/api/schedules").then().statusCode(200).body("schedules.id", hasItem(id));
        given().get("/api/schedules?threadId=main").then().statusCode(200).body("schedules.id", hasItem(id));
        given().get("/api/schedules?threadId=nobody").then().statusCode(200).body("schedules.size()", is(0));
        given().get("/api/schedules/{id}", id).then().statusCode(200).body("prompt", is("Plan my week."))
                .body("nextFireAt", is(created.<String>path("nextFireAt")));

        // disabled: no trigger, no next fire time
        Map<String, Object> body = new HashMap<>(Map.of("title", "Weekly plan", "prompt", "Plan my week.",
                "cron", "0 0 8 ? * MON", "timeZone", "Europe/Paris", "enabled", false));
        given().contentType("application/json").body(body).put("/api/schedules/{id}", id).then().statusCode(200)
                .body("enabled", is(false)).body("title", is("Weekly plan")).body("nextFireAt", nullValue())
                .body("model", nullValue()).body("activeHoursStart", nullValue());
        given().get("/api/schedules/{id}", id).then().body("nextFireAt", nullValue());
        // enabled again with another cron: the next fire time follows it
        body.put("enabled", true);
        body.put("cron", "0 30 18 * * ?");
        String evening = given().contentType("application/json").body(body).put("/api/schedules/{id}", id)
                .then().statusCode(200).body("nextFireAt", notNullValue()).extract().path("nextFireAt");
        ZonedDateTime at = Instant.parse(evening).atZone(ZoneId.of("Europe/Paris"));
        assertEquals(18, at.getHour());
        assertEquals(30, at.getMinute());

        given().delete("/api/schedules/{id}", id).then().statusCode(204);
        given().get("/api/schedules/{id}", id).then().statusCode(404).contentType("application/problem+json")
                .body("status", is(404)).body("detail", containsString(id));
        given().delete("/api/schedules/{id}", id).then().statusCode(404);
        given().get("/api/schedules").then().body("schedules.id", not(hasItem(id)));
    }

    @Test
    void badInputIsAProblemNamingWhatIsWrong() {
        String future = Instant.now().plus(Duration.ofHours(1)).toString();
        problem(Map.of("cron", "0 8 * * 1"), "prompt is required");
        problem(Map.of("prompt", "  ", "cron", "0 8 * * 1"), "prompt is required");
        problem(Map.of("prompt", "x".repeat(8001), "cron", "0 8 * * 1"), "at most 8000");
        problem(Map.of("prompt", "Hi"), "exactly one of cron");
        problem(Map.of("prompt", "Hi", "cron", "0 8 * * 1", "runAt", future), "exactly one of cron");
        problem(Map.of("prompt", "Hi", "cron", "every monday"), "fields");
        problem(Map.of("prompt", "Hi", "cron", "0 0 25 ? * MON"), "not valid");
        problem(Map.of("prompt", "Hi", "runAt", "2020-01-01T00:00:00Z"), "not in the future");
        problem(Map.of("prompt", "Hi", "runAt", "tomorrow at nine"), "ISO-8601");
        problem(Map.of("prompt", "Hi", "runAt", future, "timeZone", "Mars/Olympus_Mons"), "unknown time zone");
        problem(Map.of("prompt", "Hi", "runAt", future, "kind", "HEARTBEAT"), "HEARTBEAT cannot be created");
        problem(Map.of("prompt", "Hi", "runAt", future, "kind", "ALARM"), "kind 'ALARM'");
        problem(Map.of("prompt", "Hi", "runAt", future, "target", "ELSEWHERE"), "target 'ELSEWHERE'");
        problem(Map.of("prompt", "Hi", "runAt", future, "activeHoursStart", "08:00", "activeHoursEnd", "20:00"),
                "recurring (cron) schedules only");
        problem(Map.of("prompt", "Hi", "cron", "0 8 * * 1", "activeHoursStart", "08:00"), "both activeHoursStart");
        problem(Map.of("prompt", "Hi", "cron", "0 8 * * 1", "activeHoursStart", "8h", "activeHoursEnd", "20:00"),
                "not a time of day");
        problem(Map.of("prompt", "Hi", "cron", "0 8 * * 1", "model", "sonnet; rm -rf /"), "not a model name");
        given().contentType("application/json").post("/api/schedules").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType("application/json").body("{\"prompt\": \"Hi\", \"cron\": ").post("/api/schedules").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("not a JSON schedule"));
        given().contentType("application/json").body("{\"prompt\": \"Hi\", \"cron\": \"0 8 * * 1\", \"enabled\": \"maybe\"}")
                .post("/api/schedules").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not a JSON schedule"));
        given().get("/api/schedules/not-a-uuid").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not a schedule id"));
        given().post("/api/schedules/{id}/run", UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void theHeartbeatIsListedButConfiguredNotEdited() {
        String id = BuiltinSchedules.HEARTBEAT_ID.toString();
        given().get("/api/schedules/{id}", id).then().statusCode(200).body("kind", is("HEARTBEAT"))
                .body("builtIn", is(true)).body("createdBy", is("SYSTEM")).body("cron", is("0 0/30 8-21 * * ?"))
                .body("model", is("haiku")).body("activeHoursStart", is("08:00")).body("activeHoursEnd", is("22:00"))
                .body("enabled", is(true)).body("nextFireAt", notNullValue())
                .body("prompt", containsString("HEARTBEAT_OK"));
        given().contentType("application/json").body(Map.of("prompt", "More beats!", "cron", "0 * * * * ?"))
                .put("/api/schedules/{id}", id).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("mainloop.scheduler.heartbeat"));
        given().delete("/api/schedules/{id}", id).then().statusCode(409);
    }

    @Test
    void runFiresNowOnceEvenWhenDisabled() throws Exception {
        String id = given().contentType("application/json")
                .body(Map.of("title", "Inbox zero", "prompt", "Go through the inbox.", "cron", "0 0 6 * * ?",
                        "enabled", false, "model", "haiku", "target", "task"))
                .post("/api/schedules").then().statusCode(201).extract().path("id");
        Response run = given().post("/api/schedules/{id}/run", id);
        run.then().statusCode(202).body("scheduleId", is(id)).body("firingId", notNullValue());
        String firingId = run.path("firingId");
        Instant scheduledFor = Instant.parse(run.path("scheduledFor"));
        assertEquals(ScheduleFired.firingId(UUID.fromString(id), scheduledFor).toString(), firingId);
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            String record = kafka.await(Topics.SCHEDULE_FIRED, v -> v.contains(firingId), 1, Duration.ofSeconds(30))
                    .getFirst();
            ScheduleFired fired = EventJson.mapper().readValue(record, ScheduleFired.class);
            assertEquals(UUID.fromString(firingId), fired.eventId());
            assertEquals(fired.eventId(), fired.firingId());
            assertEquals(UUID.fromString(id), fired.scheduleId());
            assertEquals("main", fired.threadId());
            assertEquals(ScheduleKind.PROMPT, fired.kind());
            assertEquals(ScheduleTarget.TASK, fired.target());
            assertEquals("Inbox zero", fired.title());
            assertEquals("Go through the inbox.", fired.prompt());
            assertEquals("haiku", fired.model());
            assertEquals(scheduledFor, fired.scheduledFor());
            assertEquals(1, kafka.readAll(Topics.SCHEDULE_FIRED, v -> v.contains(id)).size());
        }
        given().get("/api/schedules/{id}", id).then().body("lastFiredAt", notNullValue()).body("enabled", is(false));
        given().delete("/api/schedules/{id}", id).then().statusCode(204);
    }

    private static void problem(Map<String, Object> body, String detail) {
        given().contentType("application/json").body(body).post("/api/schedules").then()
                .statusCode(400).contentType("application/problem+json").body("status", is(400))
                .body("title", is("Bad Request")).body("detail", containsString(detail));
    }
}
