package io.mainloop.memory.messaging;

import io.mainloop.contracts.CompactionRequested;
import io.mainloop.contracts.EventJson;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Reads {@link CompactionRequested} records; an unreadable one goes to the dead-letter topic. */
public class CompactionRequestedDeserializer extends ObjectMapperDeserializer<CompactionRequested> {
    public CompactionRequestedDeserializer() {
        super(CompactionRequested.class, EventJson.mapper());
    }
}
