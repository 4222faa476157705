package io.mainloop.memory.messaging;

import io.mainloop.contracts.TaskEvent;
import io.mainloop.memory.service.ConversationService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mainloop.tasks.events}: a task's end (or question) becomes an entry in its
 * thread, and a finished task a turn for the assistant to report it. Processing failures are
 * retried in place; only unreadable records go to the dead-letter topic.
 */
@ApplicationScoped
public class TaskEventConsumer {

    @Inject
    ConversationService conversation;

    @Inject
    OutboxRelay relay;

    /** Records the entry (committed with its outbox rows), then publishes them. */
    @Incoming("task-events")
    @Blocking
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void onTaskEvent(TaskEvent event) {
        relay.publishPending(conversation.onTaskEvent(event));
    }
}
