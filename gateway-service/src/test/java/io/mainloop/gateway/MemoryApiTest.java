package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the gateway answers on its own for the owner's memory endpoints (docs/memory.md), before or
 * without memory-service, which does not run here: owner only, malformed ids and unknown blocks
 * refused at the edge, bodies over 1 MiB refused before they are read (but a bulk upload), and 503
 * while memory-service is unreachable. The endpoints' answers from the real memory-service are
 * tested end to end (e2e-tests: {@code OwnerApiE2ETest}, {@code RecallE2ETest}).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
class MemoryApiTest {

    static final String TOKEN = ThreadApiTest.TOKEN;
    static final String ID = "0b7c6f0e-4c1a-4d55-9a0b-6f1f3c1d2e3f";

    @Test
    void everyMemoryEndpointNeedsTheOwner() {
        String[][] calls = {{"GET", "/api/history"}, {"GET", "/api/summaries"}, {"GET", "/api/memories"},
            {"POST", "/api/memories"}, {"PATCH", "/api/memories/" + ID}, {"DELETE", "/api/memories/" + ID},
            {"GET", "/api/core-blocks/persona"}, {"PUT", "/api/core-blocks/owner"},
            {"GET", "/api/thread/turns/" + ID + "/context"}, {"GET", "/api/search?q=boat"}, {"POST", "/api/import"},
            {"GET", "/api/export"}, {"GET", "/api/backup"}, {"POST", "/api/restore"}};
        for (String[] call : calls) {
            given().contentType(ContentType.JSON).body("{}").request(call[0], call[1]).then().statusCode(401)
                    .contentType("application/problem+json").body("status", is(401));
            given().auth().oauth2("wrong").contentType(ContentType.JSON).body("{}").request(call[0], call[1])
                    .then().statusCode(401);
        }
    }

    @Test
    void aBodyOverOneMibIsRefusedBeforeItIsReadExceptABulkUpload() {
        byte[] twoMib = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(twoMib, (byte) 'a');
        given().contentType(ContentType.JSON).body(twoMib).post("/api/session").then().statusCode(413)
                .contentType("application/problem+json").body("status", is(413));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(twoMib).post("/api/memories").then()
                .statusCode(413).contentType("application/problem+json");
        // a bulk upload of that size is not refused here: it goes on to memory-service (not running: 503)
        given().auth().oauth2(TOKEN).contentType("application/x-ndjson").body(twoMib).post("/api/import").then()
                .statusCode(503).contentType("application/problem+json");
    }

    @Test
    void malformedIdsAndUnknownBlocksAreRefusedAtTheEdge() {
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"pinned\":true}")
                .patch("/api/memories/not-a-uuid").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("UUID"));
        given().auth().oauth2(TOKEN).delete("/api/memories/123").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(TOKEN).get("/api/thread/turns/nope/context").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("turnId"));
        given().auth().oauth2(TOKEN).get("/api/core-blocks/secrets").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"text\":\"x\"}")
                .put("/api/core-blocks/system").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void memoryServiceUnreachableIs503() {
        given().auth().oauth2(TOKEN).get("/api/summaries").then().statusCode(503)
                .contentType("application/problem+json").body("status", is(503));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"kind\":\"FACT\",\"text\":\"x\"}")
                .post("/api/memories").then().statusCode(503).contentType("application/problem+json");
        given().auth().oauth2(TOKEN).get("/api/thread/turns/" + UUID.randomUUID() + "/context").then()
                .statusCode(503).contentType("application/problem+json");
        given().auth().oauth2(TOKEN).get("/api/export?format=md").then().statusCode(503)
                .contentType("application/problem+json");
    }
}
