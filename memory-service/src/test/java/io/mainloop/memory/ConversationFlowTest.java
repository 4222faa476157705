package io.mainloop.memory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.MessageAccepted;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.contracts.Usage;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** memory-service against real Kafka and PostgreSQL: stores, turns, replies, folding, dead letters. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class ConversationFlowTest {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    TopicProbe kafka;
    String thread;

    @BeforeEach
    void probe() {
        kafka = new TopicProbe(bootstrap);
        thread = "thread-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aUserMessageIsStoredOnceAndStartsOneTurn() throws Exception {
        UUID messageId = UUID.randomUUID();
        MessageAccepted first = MessageAccepted.of(thread, messageId, "c-1", "What is mainloop?");
        send(first);
        send(MessageAccepted.of(thread, messageId, "c-1", "What is mainloop?")); // a retried POST

        List<JsonNode> turns = await(Topics.AGENT_TURNS, 1);
        TurnRequested turn = JSON.treeToValue(turns.getFirst(), TurnRequested.class);
        assertEquals(List.of(messageId), turn.replyTo());
        assertEquals("What is mainloop?", turn.prompt());
        assertTrue(turn.systemPrompt().contains("mainloop"));
        assertTrue(turn.contextTokens() > 0);

        await(Topics.CONVERSATION_EVENTS, 1);
        given().get("/api/threads/{t}/messages", thread).then().statusCode(200)
                .body("messages", hasSize(1))
                .body("messages[0].role", is("USER"))
                .body("messages[0].text", is("What is mainloop?"))
                .body("nextBefore", nullValue());
        assertEquals(1, kafka.readAll(Topics.AGENT_TURNS, v -> v.contains(thread)).stream().map(this::eventId).distinct().count(),
                "one turn, whatever the redeliveries");
    }

    @Test
    void messagesArrivingDuringATurnAreFoldedIntoTheNextTurnWithTheReplyInContext() throws Exception {
        UUID m1 = UUID.randomUUID();
        send(MessageAccepted.of(thread, m1, "c-1", "first"));
        TurnRequested turn1 = JSON.treeToValue(await(Topics.AGENT_TURNS, 1).getFirst(), TurnRequested.class);

        UUID m2 = UUID.randomUUID();
        UUID m3 = UUID.randomUUID();
        send(MessageAccepted.of(thread, m2, "c-2", "second"));
        send(MessageAccepted.of(thread, m3, "c-3", "third"));
        await(Topics.CONVERSATION_EVENTS, 3); // stored, but no turn while turn 1 runs

        agentEvent(new AgentEvent.TextBlock(UUID.randomUUID(), Instant.now(), 1, thread, turn1.turnId(), 0,
                "I will run a command."));
        toolCall(turn1.turnId());
        agentEvent(new AgentEvent.TextBlock(UUID.randomUUID(), Instant.now(), 1, thread, turn1.turnId(), 1, "reply one"));
        agentEvent(new AgentEvent.TurnCompleted(UUID.randomUUID(), Instant.now(), 1, thread, turn1.turnId(), "reply one",
                new Usage(100, 20, 5, 0), new BigDecimal("0.0123"), 850, 2));

        List<JsonNode> turns = await(Topics.AGENT_TURNS, 2);
        TurnRequested turn2 = JSON.treeToValue(turns.get(1), TurnRequested.class);
        assertEquals(List.of(m2, m3), turn2.replyTo(), "both waiting messages, in order, in one turn");
        assertEquals("second\n\nthird", turn2.prompt());
        // the answer reads as the owner saw it: narration, the tool with its output (a recent turn), the reply
        assertEquals(List.of("first", "I will run a command.\n[tool Bash {\"command\":\"echo hello\"}] -> hello\n\nreply one"),
                turn2.context().stream().map(c -> c.text()).toList());

        given().get("/api/threads/{t}/messages", thread).then().statusCode(200)
                .body("messages.text", contains("first", "second", "third", "reply one"))
                .body("messages[3].role", is("ASSISTANT"))
                .body("messages[3].usage.inputTokens", is(100))
                .body("messages[3].durationMs", is(850))
                .body("messages[3].toolCalls[0].name", is("Bash"))
                .body("messages[3].toolCalls[0].input.command", is("echo hello"))
                .body("messages[3].toolCalls[0].output", is("hello\n"))
                // what the owner saw live, in order: the narration, the tool call, the answer
                .body("messages[3].blocks.type", contains("text", "tool", "text"))
                .body("messages[3].blocks[0].text", is("I will run a command."))
                .body("messages[3].blocks[1].input.command", is("echo hello"))
                .body("messages[3].blocks[1].output", is("hello\n"))
                .body("messages[3].blocks[2].text", is("reply one"));
    }

    @Test
    void aFailedTurnIsExplainedInTheThread() throws Exception {
        send(MessageAccepted.of(thread, UUID.randomUUID(), "c-1", "hi"));
        TurnRequested turn = JSON.treeToValue(await(Topics.AGENT_TURNS, 1).getFirst(), TurnRequested.class);
        agentEvent(new AgentEvent.TurnFailed(UUID.randomUUID(), Instant.now(), 1, thread, turn.turnId(),
                AgentEvent.FailureReason.API_ERROR, "API Error: 529 overloaded", 120, "4bf92f3577b34da6a3ce929d0e0e4736"));
        await(Topics.CONVERSATION_EVENTS, 2);
        given().get("/api/threads/{t}/messages", thread).then()
                .body("messages[1].role", is("SYSTEM"))
                .body("messages[1].text", is("The turn failed (API_ERROR): API Error: 529 overloaded"));
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
        String marker = UUID.randomUUID().toString();
        kafka.send(Topics.CONVERSATION_INBOUND, thread, "{not json " + marker);
        kafka.send(Topics.AGENT_EVENTS, thread, "{\"type\":\"no.such.event\",\"marker\":\"" + marker + "\"}");
        send(MessageAccepted.of(thread, UUID.randomUUID(), "c-1", "still here"));

        kafka.await(Topics.DEAD_LETTER, v -> v.contains(marker), 2, WAIT);
        await(Topics.CONVERSATION_EVENTS, 1);
        given().get("/api/threads/{t}/messages", thread).then().body("messages[0].text", is("still here"));
    }

    @Test
    void aNulCharacterOrAHugeToolOutputNeverHoldsUpTheThread() throws Exception {
        UUID m1 = UUID.randomUUID();
        send(MessageAccepted.of(thread, m1, "c-1", "a binary\u0000paste"));
        TurnRequested turn = JSON.treeToValue(await(Topics.AGENT_TURNS, 1).getFirst(), TurnRequested.class);
        agentEvent(new AgentEvent.ToolCall(UUID.randomUUID(), Instant.now(), 1, thread, turn.turnId(), "toolu_1", "Bash",
                JSON.readTree("{\"command\":\"cat a.bin\\u0000\"}")));
        agentEvent(new AgentEvent.ToolResult(UUID.randomUUID(), Instant.now(), 1, thread, turn.turnId(), "toolu_1",
                "x".repeat(200_000) + "\u0000", false));
        agentEvent(new AgentEvent.TurnCompleted(UUID.randomUUID(), Instant.now(), 1, thread, turn.turnId(), "read it\u0000",
                new Usage(1, 1, 0, 0), BigDecimal.ONE, 10, 2));
        await(Topics.CONVERSATION_EVENTS, 2);

        String output = given().get("/api/threads/{t}/messages", thread).then().statusCode(200)
                .body("messages.text", contains("a binary\uFFFDpaste", "read it\uFFFD"))
                .body("messages[1].toolCalls[0].input.command", is("cat a.bin\uFFFD"))
                .extract().path("messages[1].toolCalls[0].output");
        assertTrue(output.length() < 40_000 && output.contains("[output elided: 167233 more characters]"),
                "kept to 32 KiB: " + output.length());
    }

    @Test
    void historyPagesBackwardsWithACursor() throws Exception {
        for (int i = 0; i < 5; i++) {
            send(MessageAccepted.of(thread, UUID.randomUUID(), "c-" + i, "m" + i));
            await(Topics.CONVERSATION_EVENTS, i + 1);
        }
        int before = given().get("/api/threads/{t}/messages?limit=2", thread).then().statusCode(200)
                .body("messages.text", contains("m3", "m4")).extract().path("nextBefore");
        given().get("/api/threads/{t}/messages?limit=2&before=" + before, thread).then()
                .body("messages.text", contains("m1", "m2"));
        given().get("/api/threads/{t}/messages?limit=0", thread).then().statusCode(400)
                .contentType("application/problem+json").body("status", is(400));
    }

    private void toolCall(UUID turnId) throws Exception {
        agentEvent(new AgentEvent.ToolCall(UUID.randomUUID(), Instant.now(), 1, thread, turnId, "toolu_1", "Bash",
                JSON.readTree("{\"command\":\"echo hello\"}")));
        agentEvent(new AgentEvent.ToolResult(UUID.randomUUID(), Instant.now(), 1, thread, turnId, "toolu_1", "hello\n",
                false));
    }

    private void send(MessageAccepted accepted) throws Exception {
        kafka.send(Topics.CONVERSATION_INBOUND, thread, JSON.writeValueAsString(accepted));
    }

    private void agentEvent(AgentEvent event) throws Exception {
        kafka.send(Topics.AGENT_EVENTS, thread, JSON.writeValueAsString(event));
    }

    private List<JsonNode> await(String topic, int count) {
        return kafka.await(topic, v -> v.contains(thread), count, WAIT).stream().map(this::tree).toList();
    }

    private JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String eventId(String json) {
        return tree(json).get("eventId").asText();
    }
}
