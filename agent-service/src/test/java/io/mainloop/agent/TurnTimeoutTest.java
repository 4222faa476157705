package io.mainloop.agent;

import static io.mainloop.agent.AgentEvents.send;
import static io.mainloop.agent.AgentEvents.turn;
import static io.mainloop.agent.AgentEvents.untilEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mainloop.contracts.AgentEvent;
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

/** A turn that runs longer than the timeout is stopped and fails with TIMEOUT. */
@QuarkusTest
@TestProfile(TurnTimeoutTest.Profile.class)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = ClaudeStandInTestResource.class, parallel = true)
class TurnTimeoutTest {

    /** The setting under test. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mainloop.agent.turn-timeout", "2s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aTooLongTurnIsStopped() {
        String thread = "thread-" + UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            TurnRequested turn = turn(thread, "[[slow:500]] a long, slow answer please");
            send(kafka, turn, thread);
            AgentEvent.TurnFailed failed = assertInstanceOf(AgentEvent.TurnFailed.class,
                    untilEnd(kafka, turn.turnId()).getLast());
            assertEquals(AgentEvent.FailureReason.TIMEOUT, failed.reason());
                assertTrue(failed.message().contains("2 s"), failed.message());
        }
    }
}
