package io.mainloop.gateway.push;

import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.TaskEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code mainloop.conversation.events} and {@code mainloop.tasks.events} in the consumer group
 * {@code gateway-push} (committed offsets; a new group starts at the end, so history is never
 * pushed) and pushes what {@link Notifications} says is worth a notification, once per event id,
 * to the devices subscribed to the event's own thread ({@link PushDispatcher}): every thread's
 * devices get that thread's notifications and no other's. A record that cannot be processed (database down) is retried in place
 * with back-off, never skipped; only unreadable records go to {@code mainloop.dead-letter}.
 */
@ApplicationScoped
public class PushEventConsumer {

    @Inject
    PushDispatcher dispatcher;

    /** A proactive assistant message is pushed to its thread's devices. */
    @Incoming("push-conversation-events")
    @Blocking
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void onConversationEvent(ConversationEvent event) {
        if (event == null) {
            return; // a tombstone: nothing to push
        }
        if (event.threadId() != null) {
            Notifications.of(event, event.threadId())
                    .ifPresent(n -> dispatcher.pushOnce(event.eventId(), event.threadId(), event.occurredAt(), n));
        }
    }

    /** A question of a sub-agent, or a failed task, is pushed to its thread's devices. */
    @Incoming("push-task-events")
    @Blocking
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void onTaskEvent(TaskEvent event) {
        if (event == null) {
            return; // a tombstone: nothing to push
        }
        if (event.threadId() != null) {
            Notifications.of(event, event.threadId())
                    .ifPresent(n -> dispatcher.pushOnce(event.eventId(), event.threadId(), event.occurredAt(), n));
        }
    }
}
