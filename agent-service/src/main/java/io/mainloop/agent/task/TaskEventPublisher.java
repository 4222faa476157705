package io.mainloop.agent.task;

import static io.mainloop.support.kafka.ThreadKeys.keyed;

import io.mainloop.contracts.TaskEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes task events to {@code mainloop.tasks.events}, keyed by the parent thread, and waits for Kafka's acknowledgement. */
@ApplicationScoped
public class TaskEventPublisher {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @Channel("task-events")
    MutinyEmitter<TaskEvent> events;

    /**
     * Sends {@code event} and waits until Kafka acknowledged it.
     *
     * @throws RuntimeException if it is not acknowledged within 30 s
     */
    public void send(TaskEvent event) {
        events.sendMessage(keyed(event)).await().atMost(ACK_TIMEOUT);
    }
}
