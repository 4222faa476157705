package io.mainloop.gateway;

import static io.restassured.RestAssured.given;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * What the gateway answers on its own for the heartbeat endpoints (the checklist and the runs with
 * today's usage): owner only, and 503 while memory-service, which does not run here, is
 * unreachable. Their answers from the real memory-service are tested end to end (e2e-tests:
 * {@code OwnerApiE2ETest}).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class HeartbeatApiTest {

    static final String TOKEN = ThreadApiTest.TOKEN;

    @Test
    void everyHeartbeatEndpointNeedsTheOwner() {
        for (String[] call : new String[][] {{"GET", "/api/heartbeat"}, {"PUT", "/api/heartbeat"},
            {"GET", "/api/heartbeat/runs"}}) {
            given().contentType(ContentType.JSON).body("{}").request(call[0], call[1]).then().statusCode(401)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void memoryServiceUnreachableIs503() {
        given().auth().oauth2(TOKEN).get("/api/heartbeat/runs").then().statusCode(503)
                .contentType("application/problem+json");
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"checklist\":\"- [ ] inbox\"}")
                .put("/api/heartbeat").then().statusCode(503).contentType("application/problem+json");
    }
}
