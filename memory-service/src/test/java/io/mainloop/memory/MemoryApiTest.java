package io.mainloop.memory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.MessageAccepted;
import io.mainloop.contracts.Topics;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.mainloop.support.mcp.McpTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The owner's memory API and the assistant's MCP tools, against real PostgreSQL and Kafka. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class MemoryApiTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mainloop.memory.mcp.secret")
    String secret;

    final String thread = "api-" + UUID.randomUUID();

    @Test
    void theOwnerAddsPinsSupersedesAndForgetsMemories() {
        String first = given().contentType("application/json").body(Map.of("kind", "decision", "text", "Use PostgreSQL 16."))
                .post("/api/threads/{t}/memories", thread).then().statusCode(201)
                .body("kind", is("DECISION")).body("origin", is("OWNER")).extract().path("id");
        String second = given().contentType("application/json").body(Map.of("text", "Use PostgreSQL 17.", "supersedes", first))
                .post("/api/threads/{t}/memories", thread).then().statusCode(201)
                .body("supersedes", is(first)).extract().path("id");
        given().contentType("application/json").body(Map.of("pinned", true))
                .patch("/api/threads/{t}/memories/{id}", thread, second).then().statusCode(200).body("pinned", is(true));
        given().get("/api/threads/{t}/memories", thread).then().statusCode(200)
                .body("memories.text", hasItem("Use PostgreSQL 17.")).body("memories.text", not(hasItem("Use PostgreSQL 16.")));
        given().get("/api/threads/{t}/memories?superseded=true", thread).then()
                .body("memories.find { it.id == '" + first + "' }.supersededBy", is(second));
        given().delete("/api/threads/{t}/memories/{id}", thread, second).then().statusCode(204);
        given().delete("/api/threads/{t}/memories/{id}", thread, second).then().statusCode(404)
                .contentType("application/problem+json");

        given().contentType("application/json").body(Map.of("kind", "mood", "text", "x"))
                .post("/api/threads/{t}/memories", thread).then().statusCode(400).body("detail", containsString("kind"));
        given().contentType("application/json").body(Map.of("text", "y".repeat(2001)))
                .put("/api/threads/{t}/core-blocks/owner", thread).then().statusCode(413);
        given().contentType("application/json").body(Map.of("text", "The owner is Ada; she prefers short answers."))
                .put("/api/threads/{t}/core-blocks/owner", thread).then().statusCode(200).body("maxChars", is(2000));
        given().get("/api/threads/{t}/core-blocks/persona", thread).then().statusCode(200).body("text", is(""));
        given().get("/api/threads/{t}/core-blocks/secrets", thread).then().statusCode(404);
        given().get("/api/threads/{t}/turns/{id}/context", thread, "not-a-uuid").then().statusCode(400);
        given().get("/api/threads/{t}/history?from=yesterday", thread).then().statusCode(400);
    }

    @Test
    void eachTurnRecordsWhatTheAssistantSawLayerByLayer() throws Exception {
        given().contentType("application/json").body(Map.of("kind", "FACT", "text", "The cat is called Miso.", "pinned", true))
                .post("/api/threads/{t}/memories", thread).then().statusCode(201);
        given().contentType("application/json").body(Map.of("text", "You are terse."))
                .put("/api/threads/{t}/core-blocks/persona", thread).then().statusCode(200);
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            MessageAccepted accepted = MessageAccepted.of(thread, UUID.randomUUID(), "c-1",
                    "What is my cat called?\n[preference] Answer in one line.");
            kafka.send(Topics.CONVERSATION_INBOUND, thread, EventJson.mapper().writeValueAsString(accepted));
            String turn = kafka.await(Topics.AGENT_TURNS, v -> v.contains(thread), 1, Duration.ofSeconds(30)).getFirst();
            String turnId = EventJson.mapper().readTree(turn).get("turnId").asText();
            assertTrue(turn.contains("The cat is called Miso.") && turn.contains("You are terse."), turn);
            Response context = given().get("/api/threads/{t}/turns/{id}/context", thread, turnId);
            context.then().statusCode(200).body("budgetTokens", is(30000)).body("estimatedTokens", notNullValue())
                    .body("layers.name", is(java.util.List.of("system", "core", "memories", "summaries", "unsummarized",
                            "recent", "retrieved", "tasks", "prompt")))
                    .body("layers.find { it.name == 'memories' }.items[0].text", containsString("Miso"))
                    .body("layers.find { it.name == 'memories' }.items.text", hasItem(containsString("Answer in one line.")))
                    .body("layers.find { it.name == 'prompt' }.items[0].text", startsWith("What is my cat called?"));
            // a tagged line is a memory as soon as its message is stored, before any summary
            given().get("/api/threads/{t}/memories?kind=PREFERENCE", thread).then()
                    .body("memories[0].text", is("Answer in one line.")).body("memories[0].origin", is("MESSAGE"))
                    .body("memories[0].sourceMessageId", is(accepted.messageId().toString()));
            int sum = context.jsonPath().getList("layers.tokens", Integer.class).stream().mapToInt(Integer::intValue).sum();
            assertEquals(context.jsonPath().getInt("estimatedTokens"), sum);
        }
    }

    @Test
    void aFinishedTaskIsAnEntryInItsThreadAndATurnReportsIt() throws Exception {
        UUID task = UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            var finished = new io.mainloop.contracts.TaskEvent.TaskFinished(
                    io.mainloop.contracts.TaskEvent.eventId(task, 1, "finished"), java.time.Instant.now(), 1, thread, task,
                    "Count the links", 1, io.mainloop.contracts.TaskPhase.Succeeded, "All 12 links work.", null,
                    io.mainloop.contracts.Usage.NONE, null, 900);
            kafka.send(Topics.TASK_EVENTS, thread, EventJson.mapper().writeValueAsString(finished));
            kafka.send(Topics.TASK_EVENTS, thread, EventJson.mapper().writeValueAsString(finished)); // redelivered
            String turn = kafka.await(Topics.AGENT_TURNS, v -> v.contains(thread), 1, Duration.ofSeconds(30)).getFirst();
            assertTrue(turn.contains("[from mainloop, not the owner] Task \\\"Count the links\\\"")
                    && turn.contains("All 12 links work."), turn);
        }
        given().get("/api/threads/{t}/messages", thread).then().statusCode(200)
                .body("messages.size()", is(1)).body("messages[0].role", is("SYSTEM"))
                .body("messages[0].text", containsString("succeeded:\nAll 12 links work."));
    }

    @Test
    void theAssistantsToolsActOnItsOwnThreadOnly() {
        String session = initialize(thread, McpTokens.token(secret, thread));
        Response remembered = call(session, thread, McpTokens.token(secret, thread), "remember",
                Map.of("kind", "PREFERENCE", "text", "The owner likes tea, not coffee."));
        remembered.then().statusCode(200).body(containsString("Remembered PREFERENCE"));
        given().get("/api/threads/{t}/memories", thread).then()
                .body("memories.find { it.kind == 'PREFERENCE' }.origin", is("TOOL"));
        Response listed = call(session, thread, McpTokens.token(secret, thread), "list_memories", Map.of());
        listed.then().body(containsString("likes tea"));

        String other = "other-" + UUID.randomUUID();
        Response forged = call(session, other, McpTokens.token(secret, thread), "list_memories", Map.of());
        forged.then().body(containsString("not allowed")).body(not(containsString("likes tea")));
    }

    private String initialize(String threadId, String token) {
        return given().contentType("application/json").accept("application/json, text/event-stream")
                .header(McpTokens.THREAD_HEADER, threadId).header("Authorization", "Bearer " + token)
                .body(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                        "protocolVersion", "2025-03-26", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "test", "version", "1"))))
                .post("/mcp").then().statusCode(200).extract().header("Mcp-Session-Id");
    }

    private Response call(String session, String threadId, String token, String tool, Map<String, Object> args) {
        return given().contentType("application/json").accept("application/json, text/event-stream")
                .header("Mcp-Session-Id", session)
                .header(McpTokens.THREAD_HEADER, threadId).header("Authorization", "Bearer " + token)
                .body(Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call",
                        "params", Map.of("name", tool, "arguments", args)))
                .post("/mcp");
    }
}
