package io.mainloop.gateway.messaging;

import static io.mainloop.support.kafka.ThreadKeys.keyed;

import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.MessageAccepted;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

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
}
