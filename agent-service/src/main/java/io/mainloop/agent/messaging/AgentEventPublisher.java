package io.mainloop.agent.messaging;

import static io.mainloop.support.kafka.ThreadKeys.keyed;

import io.mainloop.contracts.AgentEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes agent events keyed by thread id, in the order they are handed over. */
@ApplicationScoped
public class AgentEventPublisher {

    @Inject
    @Channel("agent-events")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    MutinyEmitter<AgentEvent> emitter;

    /** Sends without waiting (text deltas, tool calls): streaming must not wait for Kafka round trips. */
    public void send(AgentEvent event) {
        emitter.sendMessageAndForget(keyed(event));
    }

    /** Sends and waits for Kafka's acknowledgement (a turn's final event). */
    public void sendAndAwait(AgentEvent event) {
        emitter.sendMessageAndAwait(keyed(event));
    }
}
