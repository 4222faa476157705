package io.mainloop.gateway.push;

import io.mainloop.contracts.ConversationEvent;
import io.mainloop.contracts.EventJson;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link ConversationEvent} records for pushes; an unreadable one goes to the dead-letter topic. */
public class ConversationEventDeserializer extends ObjectMapperDeserializer<ConversationEvent> {
    public ConversationEventDeserializer() {
        super(ConversationEvent.class, EventJson.mapper());
    }
}
