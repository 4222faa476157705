package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * The owner's schedule endpoints as the gateway alone serves them, against
 * {@link FakeSchedulerService}: owner only, the list asked for the owner's thread, a new or replaced
 * schedule placed in the owner's thread unless it names one, scheduler-service's status and problem
 * body passed on, malformed ids refused at the edge, scheduler-service unreachable answered 503.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(FakeSchedulerService.class)
class ScheduleApiTest {

    static final String TOKEN = ThreadApiTest.TOKEN;
    static final String ID = "7a4c2e10-3b5d-4f6a-9c8b-0d1e2f3a4b5c";
    static final String SCHEDULE = "{\"id\":\"" + ID + "\",\"threadId\":\"main\",\"kind\":\"PROMPT\",\"title\":\"Plan\","
            + "\"prompt\":\"Plan my week\",\"cron\":\"0 0 8 ? * MON\",\"timeZone\":\"Europe/Paris\",\"enabled\":true,"
            + "\"target\":\"THREAD\",\"createdBy\":\"OWNER\",\"builtIn\":false,\"nextFireAt\":\"2026-11-23T07:00:00Z\"}";

    @Test
    void everyScheduleEndpointNeedsTheOwner() {
        FakeSchedulerService.answer(200, "application/json", "{}");
        String[][] calls = {{"GET", "/api/schedules"}, {"POST", "/api/schedules"}, {"GET", "/api/schedules/" + ID},
            {"PUT", "/api/schedules/" + ID}, {"DELETE", "/api/schedules/" + ID}, {"POST", "/api/schedules/" + ID + "/run"}};
        for (String[] call : calls) {
            given().contentType(ContentType.JSON).body("{}").request(call[0], call[1]).then().statusCode(401)
                    .contentType("application/problem+json").body("status", is(401));
        }
        assertNull(FakeSchedulerService.last(), "nothing reached scheduler-service");
    }

    @Test
    void schedulesAreThoseOfTheOwnersThreadWithStatusAndBodyPassedOn() {
        FakeSchedulerService.stored(SCHEDULE); // read before a change: it is the owner's
        try {
            ownersSchedules();
        } finally {
            FakeSchedulerService.stored(null);
        }
    }

    @Test
    void aScheduleOfAnotherThreadIsNotFoundAndNotChanged() {
        FakeSchedulerService.stored(SCHEDULE.replace("\"threadId\":\"main\"", "\"threadId\":\"id-0123456789abcdef01234567\""));
        try {
            FakeSchedulerService.answer(204, "application/json", null);
            String[][] calls = {{"GET", ""}, {"PUT", ""}, {"DELETE", ""}, {"POST", "/run"}};
            for (String[] call : calls) {
                given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"prompt\":\"x\",\"cron\":\"0 9 * * 1\"}")
                        .request(call[0], "/api/schedules/" + ID + call[1]).then().statusCode(404)
                        .contentType("application/problem+json").body("status", is(404));
                assertEquals("GET /api/schedules/" + ID, line(FakeSchedulerService.last()),
                        call[0] + ": only read, never changed or run");
            }
        } finally {
            FakeSchedulerService.stored(null);
        }
    }

    private void ownersSchedules() {
        FakeSchedulerService.answer(200, "application/json", "{\"schedules\":[" + SCHEDULE + "]}");
        given().auth().oauth2(TOKEN).get("/api/schedules").then().statusCode(200).contentType(ContentType.JSON)
                .body("schedules[0].cron", is("0 0 8 ? * MON")).body("schedules[0].createdBy", is("OWNER"));
        assertEquals(new FakeSchedulerService.Request("GET", "/api/schedules", "threadId=main", null, ""),
                FakeSchedulerService.last());

        FakeSchedulerService.answer(201, "application/json", SCHEDULE);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body("{\"title\":\"Plan\",\"prompt\":\"Plan my week\",\"cron\":\"0 8 * * 1\"}")
                .post("/api/schedules").then().statusCode(201).body("id", is(ID));
        assertEquals(new FakeSchedulerService.Request("POST", "/api/schedules", null, "application/json",
                        "{\"title\":\"Plan\",\"prompt\":\"Plan my week\",\"cron\":\"0 8 * * 1\",\"threadId\":\"main\"}"),
                FakeSchedulerService.last(), "placed in the owner's thread");

        String elsewhere = "{\"prompt\":\"Check the build\",\"runAt\":\"2026-11-23T09:00\",\"threadId\":\"ops\"}";
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(elsewhere).post("/api/schedules").then()
                .statusCode(201);
        assertEquals(elsewhere.replace("\"ops\"", "\"main\""), FakeSchedulerService.last().body(),
                "a thread it names is replaced by the caller's: nobody schedules into another's thread");

        FakeSchedulerService.answer(200, "application/json", SCHEDULE);
        given().auth().oauth2(TOKEN).get("/api/schedules/" + ID).then().statusCode(200).body("title", is("Plan"));
        assertEquals("GET /api/schedules/" + ID, line(FakeSchedulerService.last()));

        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"prompt\":\"Plan\",\"cron\":\"0 9 * * 1\",\"enabled\":false}")
                .put("/api/schedules/" + ID).then().statusCode(200);
        assertEquals("PUT /api/schedules/" + ID, line(FakeSchedulerService.last()));
        assertEquals("{\"prompt\":\"Plan\",\"cron\":\"0 9 * * 1\",\"enabled\":false,\"threadId\":\"main\"}",
                FakeSchedulerService.last().body());

        FakeSchedulerService.answer(204, "application/json", null);
        given().auth().oauth2(TOKEN).delete("/api/schedules/" + ID).then().statusCode(204);
        assertEquals("DELETE /api/schedules/" + ID, line(FakeSchedulerService.last()));

        String firing = "{\"scheduleId\":\"" + ID + "\",\"firingId\":\"0b7c6f0e-4c1a-4d55-9a0b-6f1f3c1d2e3f\"}";
        FakeSchedulerService.answer(202, "application/json", firing);
        given().auth().oauth2(TOKEN).post("/api/schedules/" + ID + "/run").then().statusCode(202)
                .body("scheduleId", is(ID));
        assertEquals("POST /api/schedules/" + ID + "/run", line(FakeSchedulerService.last()));
    }

    @Test
    void schedulerServiceProblemsArePassedOn() {
        FakeSchedulerService.answer(400, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"give cron or runAt, not both\"}");
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"prompt\":\"x\"}").post("/api/schedules")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", is("give cron or runAt, not both"));

        FakeSchedulerService.answer(409, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"the heartbeat is built in\"}");
        given().auth().oauth2(TOKEN).delete("/api/schedules/" + ID).then().statusCode(409)
                .contentType("application/problem+json").body("detail", is("the heartbeat is built in"));
    }

    @Test
    void anErrorThatIsNoProblemBodyBecomesOne() {
        // e.g. a scheduler-service without this endpoint: Quarkus' HTML 404
        FakeSchedulerService.answer(404, "text/html", "<html><body><h1>Resource not found</h1></body></html>");
        given().auth().oauth2(TOKEN).get("/api/schedules").then().statusCode(404)
                .contentType("application/problem+json").body("status", is(404))
                .body("detail", is("the service behind the gateway answered 404"));
    }

    @Test
    void malformedIdsAreRefusedAtTheEdge() {
        FakeSchedulerService.answer(200, "application/json", "{}");
        given().auth().oauth2(TOKEN).get("/api/schedules/nope").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("UUID"));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{}").put("/api/schedules/123").then()
                .statusCode(400);
        given().auth().oauth2(TOKEN).delete("/api/schedules/x").then().statusCode(400);
        given().auth().oauth2(TOKEN).post("/api/schedules/x/run").then().statusCode(400);
        assertNull(FakeSchedulerService.last(), "nothing reached scheduler-service");
    }

    @Test
    void schedulerServiceUnreachableIs503() throws Exception {
        FakeSchedulerService.down();
        try {
            given().auth().oauth2(TOKEN).get("/api/schedules").then().statusCode(503)
                    .contentType("application/problem+json").body("detail", containsString("schedules"));
            given().auth().oauth2(TOKEN).post("/api/schedules/" + ID + "/run").then().statusCode(503);
        } finally {
            FakeSchedulerService.up();
        }
    }

    private static String line(FakeSchedulerService.Request r) {
        return r.method() + " " + r.path();
    }
}
