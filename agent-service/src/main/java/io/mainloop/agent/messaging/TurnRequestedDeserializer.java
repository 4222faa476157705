package io.mainloop.agent.messaging;

import io.mainloop.contracts.TurnRequested;
import io.mainloop.contracts.EventJson;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link TurnRequested} records; unreadable ones go to the dead-letter topic. */
public class TurnRequestedDeserializer extends ObjectMapperDeserializer<TurnRequested> {
    public TurnRequestedDeserializer() {
        super(TurnRequested.class, EventJson.mapper());
    }
}
