package io.mainloop.scheduler.messaging;

import static io.mainloop.support.kafka.ThreadKeys.keyed;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.CompactionRequested;
import io.mainloop.contracts.ScheduleFired;
import io.mainloop.contracts.Topics;
import io.mainloop.scheduler.repository.OutboxRepository;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends scheduler-service's events to Kafka ({@code mainloop.schedule.fired},
 * {@code mainloop.memory.compaction}), keyed by thread id, and returns once Kafka has
 * acknowledged each. Used by the outbox relay only.
 */
@ApplicationScoped
public class EventPublisher {

    /** Longest wait for Kafka's acknowledgement of a batch. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @Channel("schedule-fired")
    MutinyEmitter<ScheduleFired> fired;

    @Inject
    @Channel("memory-compaction")
    MutinyEmitter<CompactionRequested> compaction;

    @Inject
    ObjectMapper json;

    /**
     * Sends the events of outbox {@code entries} (topic, JSON), all at once in this order, and
     * waits until Kafka acknowledged every one.
     *
     * @throws RuntimeException if a send fails or is not acknowledged within 30 s
     */
    public void publish(List<OutboxRepository.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<Uni<Void>> sends = entries.stream().map(this::send).toList();
        Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
    }

    private Uni<Void> send(OutboxRepository.Entry entry) {
        try {
            return switch (entry.topic()) {
                case Topics.SCHEDULE_FIRED -> fired.sendMessage(keyed(json.readValue(entry.payload(), ScheduleFired.class)));
                case Topics.MEMORY_COMPACTION ->
                        compaction.sendMessage(keyed(json.readValue(entry.payload(), CompactionRequested.class)));
                default -> throw new IllegalArgumentException("scheduler-service does not publish to " + entry.topic());
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
