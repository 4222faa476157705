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
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The owner's memory endpoints (docs/memory.md) as the gateway alone serves them, against
 * {@link FakeMemoryService}: owner only, forwarded to the owner's thread with query and body
 * unchanged, memory-service's status and problem body passed on, malformed ids refused at the
 * edge, memory-service unreachable answered 503.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(FakeMemoryService.class)
class MemoryApiTest {

    static final String TOKEN = ThreadApiTest.TOKEN;
    static final String ID = "0b7c6f0e-4c1a-4d55-9a0b-6f1f3c1d2e3f";

    @Test
    void everyMemoryEndpointNeedsTheOwner() {
        FakeMemoryService.answer(200, "application/json", "{}");
        String[][] calls = {{"GET", "/api/history"}, {"GET", "/api/summaries"}, {"GET", "/api/memories"},
            {"POST", "/api/memories"}, {"PATCH", "/api/memories/" + ID}, {"DELETE", "/api/memories/" + ID},
            {"GET", "/api/core-blocks/persona"}, {"PUT", "/api/core-blocks/owner"},
            {"GET", "/api/thread/turns/" + ID + "/context"}, {"GET", "/api/search?q=boat"}, {"POST", "/api/import"}};
        for (String[] call : calls) {
            given().contentType(ContentType.JSON).body("{}").request(call[0], call[1]).then().statusCode(401)
                    .contentType("application/problem+json").body("status", is(401));
            given().auth().oauth2("wrong").contentType(ContentType.JSON).body("{}").request(call[0], call[1])
                    .then().statusCode(401);
        }
        assertNull(FakeMemoryService.last(), "nothing reached memory-service");
    }

    @Test
    void readsGoToTheOwnersThreadWithTheirQueryUnchanged() {
        String page = "{\"messages\":[{\"id\":\"m1\",\"role\":\"USER\",\"text\":\"hi\"}],\"truncated\":false}";
        FakeMemoryService.answer(200, "application/json", page);
        given().auth().oauth2(TOKEN).get("/api/history?from=2026-03-02&to=2026-03-03&limit=5").then().statusCode(200)
                .contentType(ContentType.JSON).body("messages[0].text", is("hi")).body("truncated", is(false));
        assertEquals(new FakeMemoryService.Request("GET", "/api/threads/main/history", "from=2026-03-02&to=2026-03-03&limit=5",
                null, ""), FakeMemoryService.last());

        FakeMemoryService.answer(200, "application/json", "{\"summaries\":[],\"timeZone\":\"Europe/Paris\"}");
        given().auth().oauth2(TOKEN).get("/api/summaries?granularity=DAILY&from=2026-03-01").then().statusCode(200)
                .body("timeZone", is("Europe/Paris"));
        assertEquals("/api/threads/main/summaries", FakeMemoryService.last().path());
        assertEquals("granularity=DAILY&from=2026-03-01", FakeMemoryService.last().query());

        FakeMemoryService.answer(200, "application/json", "{\"memories\":[]}");
        given().auth().oauth2(TOKEN).get("/api/memories?superseded=true").then().statusCode(200);
        assertEquals("/api/threads/main/memories", FakeMemoryService.last().path());
        assertEquals("superseded=true", FakeMemoryService.last().query());

        FakeMemoryService.answer(200, "application/json", "{\"name\":\"persona\",\"text\":\"calm\",\"maxChars\":2000}");
        given().auth().oauth2(TOKEN).get("/api/core-blocks/persona").then().statusCode(200).body("maxChars", is(2000));
        assertEquals("/api/threads/main/core-blocks/persona", FakeMemoryService.last().path());

        FakeMemoryService.answer(200, "application/json", "{\"turnId\":\"" + ID + "\",\"layers\":[]}");
        given().auth().oauth2(TOKEN).get("/api/thread/turns/" + ID + "/context").then().statusCode(200)
                .body("turnId", is(ID));
        assertEquals("/api/threads/main/turns/" + ID + "/context", FakeMemoryService.last().path());
    }

    @Test
    void searchAndImportGoToTheOwnersThreadUnchanged() {
        FakeMemoryService.answer(200, "application/json", "{\"query\":\"the boat\",\"hits\":[{\"kind\":\"MESSAGE\"}]}");
        given().auth().oauth2(TOKEN).queryParam("q", "the boat").queryParam("limit", "5").queryParam("kind", "MESSAGE", "MEMORY")
                .queryParam("asOf", "2026-03-02T10:00:00Z").get("/api/search")
                .then().statusCode(200).body("hits[0].kind", is("MESSAGE"));
        FakeMemoryService.Request search = FakeMemoryService.last();
        assertEquals("/api/threads/main/search", search.path());
        assertEquals("q=the boat&limit=5&kind=MESSAGE&kind=MEMORY&asOf=2026-03-02T10:00:00Z",
                java.net.URLDecoder.decode(search.query(), java.nio.charset.StandardCharsets.UTF_8));

        String ndjson = "{\"role\":\"USER\",\"text\":\"hi\",\"timestamp\":\"2026-03-02T10:00:00Z\"}\n";
        FakeMemoryService.answer(200, "application/json", "{\"imported\":1,\"skipped\":0}");
        given().auth().oauth2(TOKEN).contentType("application/x-ndjson").body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/import").then()
                .statusCode(200).body("imported", is(1));
        assertEquals("/api/threads/main/import", FakeMemoryService.last().path());
        assertEquals(ndjson, FakeMemoryService.last().body());

        FakeMemoryService.answer(400, "application/problem+json", "{\"status\":400,\"detail\":\"line 2: no timestamp\"}");
        given().auth().oauth2(TOKEN).contentType("application/x-ndjson").body((ndjson + "{}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/import").then()
                .statusCode(400).body("detail", is("line 2: no timestamp"));
    }

    @Test
    void aBodyOverOneMibIsRefusedBeforeItIsReadExceptABulkUpload() {
        byte[] twoMib = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(twoMib, (byte) 'a');
        FakeMemoryService.answer(201, "application/json", "{}");
        given().contentType(ContentType.JSON).body(twoMib).post("/api/session").then().statusCode(413)
                .contentType("application/problem+json").body("status", is(413));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(twoMib).post("/api/memories").then()
                .statusCode(413).contentType("application/problem+json");
        // a bulk upload of that size goes through to memory-service whole
        FakeMemoryService.answer(400, "application/problem+json", "{\"status\":400,\"detail\":\"line 1: not JSON\"}");
        given().auth().oauth2(TOKEN).contentType("application/x-ndjson").body(twoMib).post("/api/import").then()
                .statusCode(400).body("detail", is("line 1: not JSON"));
        assertEquals(twoMib.length, FakeMemoryService.last().body().length());
    }

    @Test
    void anErrorBodyThatIsNotJsonBecomesAProblem() {
        FakeMemoryService.answer(502, "text/html", "<html>bad gateway</html>");
        given().auth().oauth2(TOKEN).get("/api/export?format=md").then().statusCode(502)
                .contentType("application/problem+json").body("status", is(502));
    }

    @Test
    void writesPassTheirBodyAndStatusThrough() {
        String memory = "{\"id\":\"" + ID + "\",\"kind\":\"FACT\",\"text\":\"likes tea\",\"pinned\":false}";
        FakeMemoryService.answer(201, "application/json", memory);
        String body = "{\"kind\":\"FACT\",\"text\":\"likes tea\",\"supersedes\":\"" + ID + "\"}";
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body).post("/api/memories").then()
                .statusCode(201).body("text", is("likes tea"));
        assertEquals("POST", FakeMemoryService.last().method());
        assertEquals("/api/threads/main/memories", FakeMemoryService.last().path());
        assertEquals(body, FakeMemoryService.last().body());
        assertEquals("application/json", FakeMemoryService.last().contentType());

        FakeMemoryService.answer(200, "application/json", memory);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"pinned\":true}")
                .patch("/api/memories/" + ID).then().statusCode(200).body("kind", is("FACT"));
        assertEquals(new FakeMemoryService.Request("PATCH", "/api/threads/main/memories/" + ID, null,
                "application/json", "{\"pinned\":true}"), FakeMemoryService.last());

        FakeMemoryService.answer(204, "application/json", null);
        given().auth().oauth2(TOKEN).delete("/api/memories/" + ID).then().statusCode(204);
        assertEquals("DELETE", FakeMemoryService.last().method());

        FakeMemoryService.answer(200, "application/json", "{\"name\":\"owner\",\"text\":\"Ana\",\"maxChars\":2000}");
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"text\":\"Ana\"}")
                .put("/api/core-blocks/owner").then().statusCode(200).body("text", is("Ana"));
        assertEquals(new FakeMemoryService.Request("PUT", "/api/threads/main/core-blocks/owner", null,
                "application/json", "{\"text\":\"Ana\"}"), FakeMemoryService.last());
    }

    @Test
    void memoryServiceProblemsArePassedOn() {
        String tooLong = "{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
                + "\"detail\":\"persona is 2001 characters; at most 2000\"}";
        FakeMemoryService.answer(413, "application/problem+json", tooLong);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"text\":\"...\"}")
                .put("/api/core-blocks/persona").then().statusCode(413).contentType("application/problem+json")
                .body("detail", is("persona is 2001 characters; at most 2000"));

        FakeMemoryService.answer(404, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such memory\"}");
        given().auth().oauth2(TOKEN).delete("/api/memories/" + ID).then().statusCode(404)
                .contentType("application/problem+json").body("detail", is("no such memory"));

        FakeMemoryService.answer(400, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"from is not a day\"}");
        given().auth().oauth2(TOKEN).get("/api/history?from=yesterday").then().statusCode(400)
                .contentType("application/problem+json").body("detail", is("from is not a day"));
    }

    @Test
    void malformedIdsAndUnknownBlocksAreRefusedAtTheEdge() {
        FakeMemoryService.answer(200, "application/json", "{}");
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
        assertNull(FakeMemoryService.last(), "nothing reached memory-service");
    }

    @Test
    void memoryServiceUnreachableIs503() throws Exception {
        FakeMemoryService.down();
        try {
            given().auth().oauth2(TOKEN).get("/api/summaries").then().statusCode(503)
                    .contentType("application/problem+json").body("status", is(503));
            given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"kind\":\"FACT\",\"text\":\"x\"}")
                    .post("/api/memories").then().statusCode(503).contentType("application/problem+json");
            given().auth().oauth2(TOKEN).get("/api/thread/turns/" + UUID.randomUUID() + "/context").then()
                    .statusCode(503).contentType("application/problem+json");
        } finally {
            FakeMemoryService.up();
        }
    }
}
