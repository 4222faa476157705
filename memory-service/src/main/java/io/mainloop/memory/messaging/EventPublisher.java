package io.mainloop.memory.messaging;

import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.ThreadEvent;
import io.mainloop.contracts.TurnRequested;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes memory-service's events, keyed by thread id, in order, and returns once Kafka has
 * acknowledged each (so the consumed record is acknowledged only after its effects are out).
 */
@ApplicationScoped
public class EventPublisher {

    @Inject
    @Channel("conversation-events")
    MutinyEmitter<ConversationEvent> conversationEvents;

    @Inject
    @Channel("agent-turns")
    MutinyEmitter<TurnRequested> turns;

    /**
     * Sends {@code events} (all at once, in this order; Kafka keeps the order per topic partition)
     * and waits until Kafka acknowledged every one.
     *
     * @throws RuntimeException if a send fails or is not acknowledged within 30 s
     */
    public void publish(List<ThreadEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Uni<Void>> sends = events.stream().map(this::send).toList();
        Uni.join().all(sends).andFailFast().await().atMost(Duration.ofSeconds(30));
    }

    private Uni<Void> send(ThreadEvent event) {
        return switch (event) {
            case ConversationEvent e -> conversationEvents.sendMessage(keyed(e));
            case TurnRequested e -> turns.sendMessage(keyed(e));
            default -> throw new IllegalArgumentException("memory-service does not publish " + event.getClass());
        };
    }

    private static <T extends ThreadEvent> Message<T> keyed(T event) {
        return Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.threadId()).build());
    }
}
