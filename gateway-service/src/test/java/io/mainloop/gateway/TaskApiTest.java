package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The owner's task and inbox endpoints (docs/tasks.md) as the gateway alone serves them, against
 * {@link FakeAgentService}: owner only, forwarded to the owner's thread with bodies unchanged,
 * agent-service's status and problem body passed on, malformed ids refused at the edge,
 * agent-service unreachable answered 503, and a task's live log relayed as it comes.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(FakeAgentService.class)
class TaskApiTest {

    static final String TOKEN = ThreadApiTest.TOKEN;
    static final String ID = "5d1f7a0e-2b3c-4d5e-8f90-a1b2c3d4e5f6";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String TASK = "{\"id\":\"" + ID + "\",\"title\":\"Tidy\",\"prompt\":\"tidy up\",\"phase\":\"Pending\","
            + "\"attempt\":1,\"source\":\"api\",\"threadId\":\"main\"}";

    @TestHTTPResource("/api/tasks/" + ID + "/log")
    URL log;

    @Test
    void everyTaskEndpointNeedsTheOwner() {
        FakeAgentService.answer(200, "application/json", "{}");
        String[][] calls = {{"POST", "/api/tasks"}, {"GET", "/api/tasks"}, {"GET", "/api/tasks/" + ID},
            {"GET", "/api/tasks/" + ID + "/log"}, {"POST", "/api/tasks/" + ID + "/cancel"},
            {"POST", "/api/tasks/" + ID + "/retry"}, {"POST", "/api/tasks/" + ID + "/answer"},
            {"GET", "/api/inbox"}, {"POST", "/api/inbox/" + ID + "/seen"}};
        for (String[] call : calls) {
            given().contentType(ContentType.JSON).body("{}").request(call[0], call[1]).then().statusCode(401)
                    .contentType("application/problem+json").body("status", is(401));
            given().auth().oauth2("wrong").contentType(ContentType.JSON).body("{}").request(call[0], call[1])
                    .then().statusCode(401);
        }
        assertNull(FakeAgentService.last(), "nothing reached agent-service");
    }

    @Test
    void tasksAreForwardedToTheOwnersThreadWithBodyAndStatusUnchanged() {
        FakeAgentService.answer(201, "application/json", TASK);
        String request = "{\"title\":\"Tidy\",\"prompt\":\"tidy up\",\"model\":\"sonnet\",\"maxBudgetUsd\":1.5}";
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(request).post("/api/tasks").then()
                .statusCode(201).contentType(ContentType.JSON).body("id", is(ID)).body("source", is("api"));
        assertEquals(new FakeAgentService.Request("POST", "/api/threads/main/tasks", null, "application/json", request),
                FakeAgentService.last());

        FakeAgentService.answer(200, "application/json", "{\"tasks\":[" + TASK + "]}");
        given().auth().oauth2(TOKEN).get("/api/tasks").then().statusCode(200).body("tasks[0].title", is("Tidy"));
        assertEquals("GET /api/threads/main/tasks", line(FakeAgentService.last()));

        FakeAgentService.answer(200, "application/json", TASK);
        given().auth().oauth2(TOKEN).get("/api/tasks/" + ID).then().statusCode(200).body("phase", is("Pending"));
        assertEquals("GET /api/threads/main/tasks/" + ID, line(FakeAgentService.last()));

        for (String action : List.of("cancel", "retry")) {
            FakeAgentService.answer(202, "application/json", TASK);
            given().auth().oauth2(TOKEN).post("/api/tasks/" + ID + "/" + action).then().statusCode(202)
                    .body("id", is(ID));
            assertEquals("POST /api/threads/main/tasks/" + ID + "/" + action, line(FakeAgentService.last()));
        }

        FakeAgentService.answer(202, "application/json", TASK);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"text\":\"use main\"}")
                .post("/api/tasks/" + ID + "/answer").then().statusCode(202);
        assertEquals(new FakeAgentService.Request("POST", "/api/threads/main/tasks/" + ID + "/answer", null,
                "application/json", "{\"text\":\"use main\"}"), FakeAgentService.last());
    }

    @Test
    void theInboxIsForwardedAndMarkingSeenAnswers204() {
        String inbox = "{\"items\":[{\"kind\":\"question\",\"taskId\":\"" + ID + "\",\"title\":\"Tidy\","
                + "\"text\":\"Which branch?\",\"at\":\"2026-11-28T10:00:00Z\"}]}";
        FakeAgentService.answer(200, "application/json", inbox);
        given().auth().oauth2(TOKEN).get("/api/inbox").then().statusCode(200).body("items[0].kind", is("question"))
                .body("items[0].text", is("Which branch?"));
        assertEquals("GET /api/threads/main/inbox", line(FakeAgentService.last()));

        FakeAgentService.answer(204, "application/json", null);
        given().auth().oauth2(TOKEN).post("/api/inbox/" + ID + "/seen").then().statusCode(204);
        assertEquals("POST /api/threads/main/inbox/" + ID + "/seen", line(FakeAgentService.last()));
    }

    @Test
    void agentServiceProblemsArePassedOn() {
        FakeAgentService.answer(409, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"the task has ended\"}");
        given().auth().oauth2(TOKEN).post("/api/tasks/" + ID + "/cancel").then().statusCode(409)
                .contentType("application/problem+json").body("detail", is("the task has ended"));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"text\":\"x\"}")
                .post("/api/tasks/" + ID + "/answer").then().statusCode(409).body("status", is(409));

        FakeAgentService.answer(404, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such task\"}");
        given().auth().oauth2(TOKEN).get("/api/tasks/" + ID).then().statusCode(404)
                .contentType("application/problem+json").body("detail", is("no such task"));
        given().auth().oauth2(TOKEN).accept("text/event-stream").get("/api/tasks/" + ID + "/log").then()
                .statusCode(404).contentType("application/problem+json").body("detail", is("no such task"));
        given().auth().oauth2(TOKEN).post("/api/inbox/" + ID + "/seen").then().statusCode(404)
                .contentType("application/problem+json");

        FakeAgentService.answer(400, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"prompt is required\"}");
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"title\":\"x\"}").post("/api/tasks").then()
                .statusCode(400).contentType("application/problem+json").body("detail", is("prompt is required"));
    }

    @Test
    void malformedIdsAreRefusedAtTheEdge() {
        FakeAgentService.answer(200, "application/json", TASK);
        for (String[] call : new String[][] {{"GET", "/api/tasks/not-a-uuid"}, {"GET", "/api/tasks/123/log"},
            {"POST", "/api/tasks/nope/cancel"}, {"POST", "/api/tasks/nope/retry"}, {"POST", "/api/tasks/nope/answer"}}) {
            given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"text\":\"x\"}")
                    .request(call[0], call[1]).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("UUID"));
        }
        given().auth().oauth2(TOKEN).post("/api/inbox/x/seen").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("taskId"));
        assertNull(FakeAgentService.last(), "nothing reached agent-service");
    }

    @Test
    void agentServiceUnreachableIs503() throws Exception {
        FakeAgentService.down();
        try {
            given().auth().oauth2(TOKEN).get("/api/tasks").then().statusCode(503)
                    .contentType("application/problem+json").body("status", is(503));
            given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"title\":\"t\",\"prompt\":\"p\"}")
                    .post("/api/tasks").then().statusCode(503).contentType("application/problem+json");
            given().auth().oauth2(TOKEN).get("/api/inbox").then().statusCode(503)
                    .contentType("application/problem+json");
            given().auth().oauth2(TOKEN).accept("text/event-stream").get("/api/tasks/" + ID + "/log").then()
                    .statusCode(503).contentType("application/problem+json");
        } finally {
            FakeAgentService.up();
        }
    }

    @Test
    void aRunningTasksLogIsRelayedLiveAndEndsWithAgentServicesStream() {
        String first = "event: line\ndata: {\"type\":\"system\",\"subtype\":\"init\"}\n\n"
                + "event: line\ndata: {\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"On it\"}]}}\n\n";
        String rest = "event: line\ndata: {\"type\":\"result\",\"subtype\":\"success\",\"result\":\"done\"}\n\n"
                + "event: end\ndata: " + TASK.replace("Pending", "Succeeded") + "\n\n";
        FakeAgentService.log(first, rest, true);
        try (SseClient browser = new SseClient(log.toString(), TOKEN, null)) {
            assertEquals(200, browser.status());
            List<SseClient.Frame> live = browser.until(f -> f.data().contains("On it"), WAIT);
            assertEquals(List.of("line", "line"), live.stream().map(SseClient.Frame::event).toList(),
                    "what the task wrote so far arrives while it still runs");
            assertEquals("GET /api/threads/main/tasks/" + ID + "/log", line(FakeAgentService.last()));

            FakeAgentService.releaseLog();
            List<SseClient.Frame> end = browser.until(f -> "end".equals(f.event()), WAIT);
            assertEquals(List.of("line", "end"), end.stream().map(SseClient.Frame::event).toList());
            assertEquals("done", end.getFirst().json().path("result").asText());
            assertEquals("Succeeded", end.getLast().field("phase"));
        } finally {
            FakeAgentService.releaseLog();
        }
    }

    @Test
    void anEndedTasksLogIsTheWholeStreamAndThenTheResponseEnds() throws Exception {
        String first = "event: line\ndata: {\"type\":\"result\",\"result\":\"done\"}\n\n";
        String rest = "event: end\ndata: " + TASK + "\n\n";
        FakeAgentService.log(first, rest, false);
        HttpResponse<String> whole = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(log.toString()))
                        .header("Authorization", "Bearer " + TOKEN).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofString()).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, whole.statusCode());
        assertTrue(whole.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
                whole.headers().toString());
        assertEquals(first + rest, whole.body(), "relayed byte for byte, then closed");
    }

    private static String line(FakeAgentService.Request request) {
        return request == null ? null : request.method() + " " + request.path();
    }
}
