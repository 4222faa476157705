package io.mainloop.gateway;

import static io.restassured.RestAssured.given;
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
 * The heartbeat endpoints (the checklist and the runs with today's usage) as the gateway alone
 * serves them, against {@link FakeMemoryService}: owner only, forwarded to the owner's thread with
 * query and body unchanged, memory-service's status and problem passed on, 503 while it is down.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(FakeMemoryService.class)
class HeartbeatApiTest {

    static final String TOKEN = ThreadApiTest.TOKEN;

    @Test
    void everyHeartbeatEndpointNeedsTheOwner() {
        FakeMemoryService.answer(200, "application/json", "{}");
        for (String[] call : new String[][] {{"GET", "/api/heartbeat"}, {"PUT", "/api/heartbeat"},
            {"GET", "/api/heartbeat/runs"}}) {
            given().contentType(ContentType.JSON).body("{}").request(call[0], call[1]).then().statusCode(401)
                    .contentType("application/problem+json");
        }
        assertNull(FakeMemoryService.last(), "nothing reached memory-service");
    }

    @Test
    void theChecklistAndRunsOfTheOwnersThreadArePassedThrough() {
        FakeMemoryService.answer(200, "application/json",
                "{\"checklist\":\"- [ ] inbox\",\"updatedAt\":\"2026-11-20T08:00:00Z\"}");
        given().auth().oauth2(TOKEN).get("/api/heartbeat").then().statusCode(200).body("checklist", is("- [ ] inbox"));
        assertEquals(new FakeMemoryService.Request("GET", "/api/threads/main/heartbeat", null, null, ""),
                FakeMemoryService.last());

        String body = "{\"checklist\":\"- [ ] inbox\\n- [ ] build\"}";
        FakeMemoryService.answer(200, "application/json",
                "{\"checklist\":\"- [ ] inbox\\n- [ ] build\",\"updatedAt\":\"2026-11-20T09:00:00Z\"}");
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body).put("/api/heartbeat").then()
                .statusCode(200).body("updatedAt", is("2026-11-20T09:00:00Z"));
        assertEquals(new FakeMemoryService.Request("PUT", "/api/threads/main/heartbeat", null, "application/json", body),
                FakeMemoryService.last());

        String runs = "{\"runs\":[{\"id\":\"r1\",\"firedAt\":\"2026-11-20T09:30:00Z\",\"outcome\":\"SILENT\","
                + "\"reason\":\"HEARTBEAT_OK\",\"inputTokens\":1200,\"outputTokens\":4,\"costUsd\":0.0012}],"
                + "\"today\":{\"beats\":3,\"modelCalls\":1,\"inputTokens\":1200,\"outputTokens\":4,\"costUsd\":0.0012,"
                + "\"budgetTokens\":200000,\"budgetUsd\":0.5}}";
        FakeMemoryService.answer(200, "application/json", runs);
        given().auth().oauth2(TOKEN).get("/api/heartbeat/runs?limit=20").then().statusCode(200)
                .body("runs[0].outcome", is("SILENT")).body("today.beats", is(3));
        assertEquals(new FakeMemoryService.Request("GET", "/api/threads/main/heartbeat/runs", "limit=20", null, ""),
                FakeMemoryService.last());
    }

    @Test
    void memoryServiceProblemsArePassedOnAndItsAbsenceIs503() throws Exception {
        FakeMemoryService.answer(413, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":\"at most 8000 characters\"}");
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"checklist\":\"...\"}").put("/api/heartbeat")
                .then().statusCode(413).contentType("application/problem+json").body("detail", is("at most 8000 characters"));

        FakeMemoryService.down();
        try {
            given().auth().oauth2(TOKEN).get("/api/heartbeat/runs").then().statusCode(503)
                    .contentType("application/problem+json");
        } finally {
            FakeMemoryService.up();
        }
    }
}
