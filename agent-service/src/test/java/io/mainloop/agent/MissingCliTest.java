package io.mainloop.agent;

import static io.mainloop.agent.AgentEvents.send;
import static io.mainloop.agent.AgentEvents.turn;
import static io.mainloop.agent.AgentEvents.untilEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.SummaryRequested;
import io.mainloop.contracts.SummaryResult;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.devstack.testing.ClaudeStandInTestResource;
import io.mainloop.devstack.testing.KafkaTestResource;
import io.mainloop.devstack.testing.PostgresTestResource;
import io.mainloop.devstack.testing.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A missing CLI fails the turn, or the summary, with an explanation instead of hanging. */
@QuarkusTest
@TestProfile(MissingCliTest.Profile.class)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = ClaudeStandInTestResource.class, parallel = true)
class MissingCliTest {

    /** The setting under test. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mainloop.agent.claude-path", "/nonexistent/bin/claude");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theTurnFailsWithAnExplanation() {
        String thread = "thread-" + UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            TurnRequested turn = turn(thread, "hello");
            send(kafka, turn, thread);
            AgentEvent.TurnFailed failed = assertInstanceOf(AgentEvent.TurnFailed.class,
                    untilEnd(kafka, turn.turnId()).getLast());
            assertEquals(AgentEvent.FailureReason.CLI_MISSING, failed.reason());
                assertTrue(failed.message().contains("/nonexistent/bin/claude"), failed.message());
        }
    }

    @Test
    void aSummaryIsAnsweredAsFailed() {
        String thread = "thread-" + UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            SummaryRequested request = AgentEvents.summary(thread, UUID.randomUUID(), 1, "--- [2026-03-02] user\nHi.");
            send(kafka, request, thread);
            SummaryResult.SummaryFailed failed = assertInstanceOf(SummaryResult.SummaryFailed.class,
                    AgentEvents.answer(kafka, request.summaryId(), 1));
            assertEquals(AgentEvent.FailureReason.CLI_MISSING.name(), failed.reason());
            assertTrue(failed.message().contains("/nonexistent/bin/claude"), failed.message());
        }
    }
}
