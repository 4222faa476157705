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
 * What the gateway answers on its own for the owner's schedule endpoints, before or without
 * scheduler-service, which does not run here: owner only, malformed ids refused at the edge, 503
 * while scheduler-service is unreachable. Their answers from the real scheduler-service (the
 * owner's thread only, another thread's schedule neither shown nor changed) are tested end to end
 * (e2e-tests: {@code SchedulesE2ETest}).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class ScheduleApiTest {

    static final String TOKEN = ThreadApiTest.TOKEN;
    static final String ID = "7a4c2e10-3b5d-4f6a-9c8b-0d1e2f3a4b5c";

    @Test
    void everyScheduleEndpointNeedsTheOwner() {
        String[][] calls = {{"GET", "/api/schedules"}, {"POST", "/api/schedules"}, {"GET", "/api/schedules/" + ID},
            {"PUT", "/api/schedules/" + ID}, {"DELETE", "/api/schedules/" + ID}, {"POST", "/api/schedules/" + ID + "/run"}};
        for (String[] call : calls) {
            given().contentType(ContentType.JSON).body("{}").request(call[0], call[1]).then().statusCode(401)
                    .contentType("application/problem+json").body("status", is(401));
        }
    }

    @Test
    void malformedIdsAreRefusedAtTheEdge() {
        given().auth().oauth2(TOKEN).get("/api/schedules/nope").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("UUID"));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{}").put("/api/schedules/123").then()
                .statusCode(400);
        given().auth().oauth2(TOKEN).delete("/api/schedules/x").then().statusCode(400);
        given().auth().oauth2(TOKEN).post("/api/schedules/x/run").then().statusCode(400);
    }

    @Test
    void schedulerServiceUnreachableIs503() {
        given().auth().oauth2(TOKEN).get("/api/schedules").then().statusCode(503)
                .contentType("application/problem+json").body("detail", containsString("schedules"));
        given().auth().oauth2(TOKEN).post("/api/schedules/" + ID + "/run").then().statusCode(503);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"prompt\":\"x\",\"cron\":\"0 8 * * 1\"}")
                .post("/api/schedules").then().statusCode(503).contentType("application/problem+json");
    }
}
