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
import io.quarkus.test.junit.TestProfile;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A turn that runs longer than the timeout is stopped and fails with TIMEOUT, started cold or warm. */
@QuarkusTest
@TestProfile(WarmTurnsProfile.class)
@QuarkusTestResource(value = PostgresTestResource.class, parallel = true)
@QuarkusTestResource(value = KafkaTestResource.class, parallel = true)
@QuarkusTestResource(value = ClaudeStandInTestResource.class, parallel = true)
class TurnTimeoutTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @jakarta.inject.Inject
    io.mainloop.agent.warm.WarmPool pool;

    @Test
    void aTooLongTurnIsStopped() {
        String thread = "thread-" + UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            TurnRequested turn = turn(thread, "[[slow:1000]] a long, slow answer please");
            send(kafka, turn, thread);
            AgentEvent.TurnFailed failed = assertInstanceOf(AgentEvent.TurnFailed.class,
                    untilEnd(kafka, turn.turnId()).getLast());
            assertEquals(AgentEvent.FailureReason.TIMEOUT, failed.reason());
            assertTrue(failed.message().contains(WarmTurnsProfile.TIMEOUT_S + " s"), failed.message());
        }
    }

    @Test
    void aTooLongWarmTurnIsStopped() {
        String thread = "thread-" + UUID.randomUUID();
        try (TopicProbe kafka = new TopicProbe(bootstrap)) {
            TurnRequested first = turn(thread, "[[reply:hello]]");
            send(kafka, first, thread);
            untilEnd(kafka, first.turnId());
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
            while (!pool.isWaiting(thread)) {
                if (java.time.Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no CLI was started ahead of the next turn");
                }
                Thread.onSpinWait();
            }
            TurnRequested turn = turn(thread, "[[slow:1000]] a long, slow answer please");
            send(kafka, turn, thread);
            java.util.List<AgentEvent> events = untilEnd(kafka, turn.turnId());
            assertEquals(Boolean.TRUE, AgentEvents.only(events, AgentEvent.TurnStarted.class).getFirst().warm());
            AgentEvent.TurnFailed failed = assertInstanceOf(AgentEvent.TurnFailed.class, events.getLast());
            assertEquals(AgentEvent.FailureReason.TIMEOUT, failed.reason());
        } finally {
            pool.reap(java.time.Instant.now().plus(java.time.Duration.ofDays(1)));
        }
    }
}
