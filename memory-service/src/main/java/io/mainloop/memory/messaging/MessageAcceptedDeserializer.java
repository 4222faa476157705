package io.mainloop.memory.messaging;

import io.mainloop.contracts.EventJson;
import io.mainloop.contracts.MessageAccepted;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link MessageAccepted} records; unreadable ones go to the dead-letter topic. */
public class MessageAcceptedDeserializer extends ObjectMapperDeserializer<MessageAccepted> {
    public MessageAcceptedDeserializer() {
        super(MessageAccepted.class, EventJson.mapper());
    }
}
