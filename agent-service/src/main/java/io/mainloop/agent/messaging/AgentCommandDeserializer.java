package io.mainloop.agent.messaging;

import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.EventJson;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link AgentCommand} records; unreadable ones go to the dead-letter topic. */
public class AgentCommandDeserializer extends ObjectMapperDeserializer<AgentCommand> {
    public AgentCommandDeserializer() {
        super(AgentCommand.class, EventJson.mapper());
    }
}
