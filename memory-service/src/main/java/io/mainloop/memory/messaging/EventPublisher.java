package io.mainloop.memory.messaging;

import static io.mainloop.support.kafka.ThreadKeys.keyed;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.ThreadEvent;
import io.mainloop.contracts.Topics;
import io.mainloop.contracts.TurnRequested;
import io.mainloop.memory.repository.OutboxRepository;
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
 * Sends memory-service's events to Kafka, keyed by thread id, in order, and returns once Kafka
 * has acknowledged each. Used by the outbox relay (and, for notices that must go out while the
 * database is unreachable, directly).
 */
@ApplicationScoped
public class EventPublisher {

    /** Longest wait for Kafka's acknowledgement of a batch. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @Channel("conversation-events")
    MutinyEmitter<ConversationEvent> conversationEvents;

    @Inject
    @Channel("agent-turns")
    MutinyEmitter<TurnRequested> turns;

    @Inject
    @Channel("agent-commands")
    MutinyEmitter<AgentCommand> commands;

    @Inject
    @Channel("agent-summaries")
    MutinyEmitter<io.mainloop.contracts.SummaryRequested> summaryRequests;

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
        List<Uni<Void>> sends = entries.stream().map(e -> send(parse(e.topic(), e.payload()))).toList();
        Uni.join().all(sends).andFailFast().await().atMost(ACK_TIMEOUT);
    }

    /** Sends one event without waiting (a live notice); failures are ignored. */
    public void sendAndForget(ConversationEvent event) {
        conversationEvents.sendMessageAndForget(keyed(event));
    }

    private ThreadEvent parse(String topic, String payload) {
        try {
            return switch (topic) {
                case Topics.CONVERSATION_EVENTS -> json.readValue(payload, ConversationEvent.class);
                case Topics.AGENT_TURNS -> json.readValue(payload, TurnRequested.class);
                case Topics.AGENT_COMMANDS -> json.readValue(payload, AgentCommand.class);
                case Topics.AGENT_SUMMARIES -> json.readValue(payload, io.mainloop.contracts.SummaryRequested.class);
                default -> throw new IllegalArgumentException("memory-service does not publish to " + topic);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Uni<Void> send(ThreadEvent event) {
        return switch (event) {
            case ConversationEvent e -> conversationEvents.sendMessage(keyed(e));
            case TurnRequested e -> turns.sendMessage(keyed(e));
            case AgentCommand e -> commands.sendMessage(keyed(e));
            case io.mainloop.contracts.SummaryRequested e -> summaryRequests.sendMessage(keyed(e));
            default -> throw new IllegalArgumentException("memory-service does not publish " + event.getClass());
        };
    }
}
