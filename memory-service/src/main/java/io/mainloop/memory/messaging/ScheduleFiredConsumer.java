package io.mainloop.memory.messaging;

import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.ScheduleKind;
import io.mainloop.contracts.ScheduleTarget;
import io.mainloop.memory.heartbeat.HeartbeatService;
import io.mainloop.memory.service.ConversationService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mainloop.schedule.fired}: a heartbeat becomes a heartbeat turn (or is skipped by
 * a guardrail, {@link HeartbeatService}); a scheduled prompt or reminder for the thread becomes a
 * scheduled entry and a turn ({@link ConversationService#onScheduleFired}); a firing whose target is
 * a sub-agent task is agent-service's. Each firing is handled once (deduped by its id). Processing
 * failures are retried in place; only unreadable records go to the dead-letter topic.
 */
@ApplicationScoped
public class ScheduleFiredConsumer {

    @Inject
    ConversationService conversation;

    @Inject
    HeartbeatService heartbeats;

    @Inject
    OutboxRelay relay;

    /** Handles the firing (committed with its outbox rows), then publishes them. */
    @Incoming("schedule-fired")
    @Blocking
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void onFired(ScheduleFired fired) {
        if (fired.kind() == ScheduleKind.HEARTBEAT) {
            relay.publishPending(heartbeats.fire(fired));
        } else if (fired.target() != ScheduleTarget.TASK) {
            relay.publishPending(conversation.onScheduleFired(fired));
        }
    }
}
