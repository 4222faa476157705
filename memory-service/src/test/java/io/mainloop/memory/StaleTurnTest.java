package io.mainloop.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.MessageAccepted;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A turn whose end never arrives (the agent is gone; here: no agent-service at all) does not
 * wedge the thread: after the turn timeout plus a margin it is given up visibly, the agent is
 * told to cancel it, and the message that waited behind it gets its turn.
 */
@QuarkusTest
@TestProfile(StaleTurnTest.ShortTimeouts.class)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
class StaleTurnTest {

    /** A 2 s turn timeout, a 1 s margin, checked every second. */
    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mainloop.memory.turn-timeout", "2s", "mainloop.memory.stale-turn-margin", "1s",
                    "mainloop.memory.stale-turn-check", "1s");
        }
    }

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aTurnWhoseEndNeverArrivesIsGivenUpAndTheNextMessageGetsItsTurn() throws Exception {
        String thread = "thread-" + UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            UUID first = UUID.randomUUID();
            kafka.send(Topics.CONVERSATION_INBOUND, thread,
                    JSON.writeValueAsString(MessageAccepted.of(thread, first, "c-1", "first, never answered")));
            TurnRequested stuck = JSON.readValue(kafka.await(Topics.AGENT_TURNS, v -> v.contains(thread), 1, WAIT)
                    .getFirst(), TurnRequested.class);
            UUID second = UUID.randomUUID();
            kafka.send(Topics.CONVERSATION_INBOUND, thread,
                    JSON.writeValueAsString(MessageAccepted.of(thread, second, "c-2", "second, waits behind it")));

            List<String> turns = kafka.await(Topics.AGENT_TURNS, v -> v.contains(thread), 2, WAIT);
            TurnRequested next = JSON.readValue(turns.get(1), TurnRequested.class);
            assertEquals(List.of(second), next.replyTo(), "the waiting message got its own turn");

            JsonNode notice = JSON.readTree(kafka.await(Topics.CONVERSATION_EVENTS,
                    v -> v.contains(thread) && v.contains("\"SYSTEM\""), 1, WAIT).getFirst());
            assertEquals(stuck.turnId().toString(), notice.path("turnId").asText());
            assertTrue(notice.path("text").asText().contains("did not finish"), notice.toString());

            JsonNode cancel = JSON.readTree(kafka.await(Topics.AGENT_COMMANDS, v -> v.contains(thread), 1, WAIT)
                    .getFirst());
            assertEquals("turn.cancel", cancel.path("type").asText());
            assertEquals(stuck.turnId().toString(), cancel.path("turnId").asText());
        }
    }
}
