package io.mainloop.gateway.messaging;

import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.MessageAccepted;
import io.mainloop.contracts.ThreadEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes what the owner does, keyed by thread id; returns once Kafka has acknowledged it. */
@ApplicationScoped
public class GatewayPublisher {

    @Inject
    @Channel("conversation-inbound")
    MutinyEmitter<MessageAccepted> inbound;

    @Inject
    @Channel("agent-commands")
    MutinyEmitter<AgentCommand> commands;

    /** Publishes an accepted message; after this returns it is durably in Kafka. */
    public void accepted(MessageAccepted message) {
        inbound.sendMessageAndAwait(keyed(message));
    }

    /** Publishes a command to every agent-service replica. */
    public void command(AgentCommand command) {
        commands.sendMessageAndAwait(keyed(command));
    }

    private static <T extends ThreadEvent> Message<T> keyed(T event) {
        return Message.of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.threadId()).build());
    }
}
