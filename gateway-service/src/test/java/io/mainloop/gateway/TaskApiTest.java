package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * What the gateway answers on its own for the owner's task and inbox endpoints (docs/tasks.md),
 * before or without agent-service, which does not run here: owner only, malformed ids refused at
 * the edge, 503 while agent-service is unreachable (a task's log too). Their answers from the real
 * agent-service (a task's live log, cancel, the inbox, its problems) are tested end to end
 * (e2e-tests: {@code TasksE2ETest}).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class TaskApiTest {

    static final String TOKEN = ThreadApiTest.TOKEN;
    static final String ID = "5d1f7a0e-2b3c-4d5e-8f90-a1b2c3d4e5f6";

    @Test
    void everyTaskEndpointNeedsTheOwner() {
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
    }

    @Test
    void malformedIdsAreRefusedAtTheEdge() {
        for (String[] call : new String[][] {{"GET", "/api/tasks/not-a-uuid"}, {"GET", "/api/tasks/123/log"},
            {"POST", "/api/tasks/nope/cancel"}, {"POST", "/api/tasks/nope/retry"}, {"POST", "/api/tasks/nope/answer"}}) {
            given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"text\":\"x\"}")
                    .request(call[0], call[1]).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("UUID"));
        }
        given().auth().oauth2(TOKEN).post("/api/inbox/x/seen").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("taskId"));
    }

    @Test
    void agentServiceUnreachableIs503() {
        given().auth().oauth2(TOKEN).get("/api/tasks").then().statusCode(503)
                .contentType("application/problem+json").body("status", is(503));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"title\":\"t\",\"prompt\":\"p\"}")
                .post("/api/tasks").then().statusCode(503).contentType("application/problem+json");
        given().auth().oauth2(TOKEN).get("/api/inbox").then().statusCode(503)
                .contentType("application/problem+json");
        given().auth().oauth2(TOKEN).accept("text/event-stream").get("/api/tasks/" + ID + "/log").then()
                .statusCode(503).contentType("application/problem+json");
        given().auth().oauth2(TOKEN).post("/api/tasks/" + ID + "/cancel").then().statusCode(503);
    }
}
