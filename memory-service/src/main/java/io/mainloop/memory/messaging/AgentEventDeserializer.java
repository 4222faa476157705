package io.mainloop.memory.messaging;

import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.EventJson;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link AgentEvent} records; unreadable ones go to the dead-letter topic. */
public class AgentEventDeserializer extends ObjectMapperDeserializer<AgentEvent> {
    public AgentEventDeserializer() {
        super(AgentEvent.class, EventJson.mapper());
    }
}
